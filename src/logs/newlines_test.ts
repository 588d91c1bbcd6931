import { deepEqual, equal } from "node:assert/strict";
import { countNewlines, newlinePositions, nthNewline } from "./newlines.ts";
import { seeded } from "./test_support.ts";

Deno.test("countNewlines agrees with a byte loop at every alignment and length", () => {
  const rnd = seeded(5);
  const buf = new Uint8Array(300);
  for (let i = 0; i < buf.length; i++) {
    const r = rnd();
    buf[i] = r < 0.3
      ? 10
      : r < 0.4
      ? 0x0a ^ 0x80
      : r < 0.5
      ? 0
      : r < 0.6
      ? 0xff
      : Math.floor(r * 256);
  }
  for (let from = 0; from < 9; from++) {
    for (let to = from; to <= buf.length; to += 7) {
      let want = 0;
      for (let i = from; i < to; i++) if (buf[i] === 10) want++;
      equal(countNewlines(buf, from, to), want, `${from}..${to}`);
      equal(countNewlines(buf.subarray(from, to)), want, `subarray ${from}..${to}`);
    }
  }
});

Deno.test("countNewlines on all-newline and no-newline data", () => {
  equal(countNewlines(new Uint8Array(1001).fill(10)), 1001);
  equal(countNewlines(new Uint8Array(1001).fill(11)), 0);
  equal(countNewlines(new Uint8Array(0)), 0);
});

Deno.test("newline positions and the n-th newline", () => {
  const b = new TextEncoder().encode("a\nbb\n\nccc\n");
  deepEqual(newlinePositions(b), [1, 4, 5, 9]);
  deepEqual(newlinePositions(b, 2, 9), [4, 5]);
  deepEqual(newlinePositions(b, 0, b.length, 2), [1, 4]);
  equal(nthNewline(b, 0), 1);
  equal(nthNewline(b, 3), 9);
  equal(nthNewline(b, 4), -1);
  equal(nthNewline(b, 0, 2), 4);
});
