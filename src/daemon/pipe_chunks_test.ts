import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { MAX_READ_BYTES, MIN_READ_BYTES, nextReadSize, pipeChunks } from "./pipe_chunks.ts";

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

Deno.test("pipeChunks yields every byte a real child writes, in order", async () => {
  const child = new Deno.Command("sh", {
    args: ["-c", "printf 'a\\n'; head -c 300000 /dev/zero | tr '\\0' x; printf '\\nend\\n'"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const parts: Uint8Array[] = [];
  for await (const c of pipeChunks(child.stdout)) parts.push(c);
  await child.status;
  const text = new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p])));
  assertEquals(text.length, 2 + 300000 + 5);
  assertEquals(text.slice(0, 3), "a\nx");
  assertEquals(text.slice(-5), "\nend\n");
  const big = Math.max(...parts.map((p) => p.length));
  if (big <= MIN_READ_BYTES) throw new Error(`reads never grew: largest chunk ${big}`);
});
