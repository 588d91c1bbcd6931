/** Unit tests of the settle judge: which burst counts, and its verdict. */

import { deepEqual, equal, ok } from "node:assert/strict";
import { judge, lastBurst, type TimedLine } from "./settle.ts";
import { isErrorLine } from "./digest.ts";

const line = (ts: number, text: string): TimedLine => ({ ts, text, annotation: false });

Deno.test("lastBurst: the lines after the last long enough silence", () => {
  const lines = [line(0, "a"), line(100, "b"), line(2000, "c"), line(2100, "d"), line(2150, "e")];
  deepEqual(lastBurst(lines, 0, 1000).map((l) => l.text), ["c", "d", "e"]);
  deepEqual(lastBurst(lines, 0, 5000).map((l) => l.text), ["a", "b", "c", "d", "e"]);
  deepEqual(lastBurst(lines, 2120, 5000).map((l) => l.text), ["e"]);
  deepEqual(lastBurst([], 0, 1000), []);
});

Deno.test("judge: an error in an old burst does not fail a later clean one", () => {
  const lines = [line(0, "TypeError: x is not a function"), line(3000, "rebuilt in 12ms")];
  const v = judge(lastBurst(lines, 0, 1000), { kind: "running" });
  equal(v.verdict, "ok");
  equal(v.digest, null);
});

Deno.test("judge: error lines in the burst, or a bad end, give error with a digest", () => {
  const burst = [
    line(0, "change detected"),
    line(5, '  File "app.py", line 3'),
    line(6, "SyntaxError: invalid syntax"),
  ];
  const v = judge(burst, { kind: "running" });
  equal(v.verdict, "error");
  ok(v.digest?.headline.startsWith("SyntaxError"));
  equal(judge([line(0, "done")], { kind: "exited", code: 0, signal: null }).verdict, "ok");
  equal(judge([line(0, "done")], { kind: "exited", code: 2, signal: null }).verdict, "error");
  equal(judge([], { kind: "crash-loop" }).verdict, "error");
  const annotated = { ...line(0, "[agent-procs] Restarted (exit 1, attempt 1)"), annotation: true };
  equal(judge([annotated], { kind: "running" }).verdict, "ok");
});

Deno.test("isErrorLine: success summaries are not errors", () => {
  ok(isErrorLine("src/a.ts(1,7): error TS2322: Type 'string' is not assignable"));
  ok(isErrorLine("Error: Cannot find module './x'"));
  ok(!isErrorLine("Found 0 errors. Watching for file changes."));
  ok(!isErrorLine("compiled with no errors"));
  ok(!isErrorLine("ready in 120 ms"));
});
