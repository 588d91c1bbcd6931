/** Tests of frame diffing. */

import { equal, ok } from "node:assert/strict";
import { diffFrame } from "./render.ts";

// deno-lint-ignore no-control-regex -- counting cursor moves in terminal output
const MOVES = /\x1b\[(\d+);1H/g;
const rowsWritten = (out: string) => [...out.matchAll(MOVES)].map((m) => Number(m[1]));

Deno.test("the first frame clears the screen and draws every row", () => {
  const out = diffFrame(null, ["a", "b", "c"]);
  ok(out.includes("\x1b[2J"));
  equal(rowsWritten(out).join(","), "1,2,3");
});

Deno.test("later frames rewrite only the rows that changed", () => {
  equal(diffFrame(["a", "b", "c"], ["a", "b", "c"]), "");
  const out = diffFrame(["a", "b", "c"], ["a", "B", "c"]);
  equal(rowsWritten(out).join(","), "2");
  ok(out.includes("B") && !out.includes("a") && !out.includes("\x1b[2J"));
});

Deno.test("a frame of another height (resize) is drawn in full", () => {
  const out = diffFrame(["a", "b"], ["a", "b", "c"]);
  ok(out.includes("\x1b[2J"));
  equal(rowsWritten(out).length, 3);
});
