import { deepEqual } from "node:assert/strict";
import { blockTexts, type LogLine, pushBlockLines } from "./live_lines.ts";
import { FLAG_ANNOTATION } from "./index_format.ts";
import { enc } from "./test_support.ts";
import { lineText } from "./text.ts";

Deno.test("block texts: one per newline, \\r rules applied, empty lines kept", () => {
  deepEqual(blockTexts(enc("a\n\nb\r\nx 1%\rx 100%\n")), ["a", "", "b", "x 100%"]);
  deepEqual(blockTexts(enc("")), []);
});

Deno.test("decoding a block at once equals decoding each line alone, invalid bytes included", () => {
  const lines = [
    [0x6f, 0x6b, 0xff, 0xc3],
    [0xe2, 0x82],
    [0xe6, 0x97, 0xa5, 0x80],
    [],
    [0xf0, 0x9f, 0x98],
  ].map((l) => new Uint8Array(l));
  const joined = new Uint8Array(lines.reduce((n, l) => n + l.length + 1, 0));
  let at = 0;
  for (const l of lines) {
    joined.set(l, at);
    at += l.length;
    joined[at++] = 10;
  }
  deepEqual(blockTexts(joined), lines.map((l) => lineText(l)));
});

Deno.test("block lines carry the block's sequence, time, generation, stream and flags", () => {
  const out: LogLine[] = [];
  pushBlockLines(out, { seq: 7, ts: 5, generation: 2, stream: 1, flags: 0 }, enc("x\ny\n"));
  pushBlockLines(
    out,
    { seq: 9, ts: 6, generation: 2, stream: 0, flags: FLAG_ANNOTATION },
    enc("n\n"),
  );
  deepEqual(out.map((l) => [l.seq, l.ts, l.generation, l.stream, l.text, l.annotation]), [
    [7, 5, 2, "stderr", "x", false],
    [8, 5, 2, "stderr", "y", false],
    [9, 6, 2, "stdout", "n", true],
  ]);
});
