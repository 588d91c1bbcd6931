/** Unit test of the pipe read sizing (the pump itself is tested on real children in child_test.ts). */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { MAX_READ_BYTES, MIN_READ_BYTES, nextReadSize } from "./pipe_chunks.ts";

Deno.test("nextReadSize grows on full reads up to the cap and shrinks after quiet ones", () => {
  assertEquals(nextReadSize(MIN_READ_BYTES, MIN_READ_BYTES), 4 * MIN_READ_BYTES);
  assertEquals(nextReadSize(MAX_READ_BYTES, MAX_READ_BYTES), MAX_READ_BYTES);
  assertEquals(nextReadSize(MAX_READ_BYTES, 10), MIN_READ_BYTES);
  assertEquals(nextReadSize(MAX_READ_BYTES, 3000), 8192);
  assertEquals(nextReadSize(MAX_READ_BYTES, MAX_READ_BYTES - 1), MAX_READ_BYTES);
  let size = MIN_READ_BYTES;
  for (let i = 0; i < 10; i++) size = nextReadSize(size, size);
  assertEquals(size, MAX_READ_BYTES);
});
