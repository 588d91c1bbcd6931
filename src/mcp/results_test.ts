/** Unit tests of tool result shaping: CLI error text, exit codes, outcomes. */

import { deepEqual, equal } from "node:assert/strict";
import { CliError, errorLines, notFound } from "../errors.ts";
import { errorResult, EXIT_CODE_KEY, toolResult, toResult } from "./results.ts";

Deno.test("errorLines: the CLI's error, details and hint lines", () => {
  const e = new CliError('web did not print "ok" within 5s', {
    details: ["last lines:", "boom"],
    hint: "see logs",
  });
  deepEqual(errorLines(e), [
    'error: web did not print "ok" within 5s',
    "  last lines:",
    "  boom",
    "hint: see logs",
  ]);
  deepEqual(errorLines(new Error("kaput")), ["error: internal: kaput"]);
  deepEqual(errorLines("odd"), ["error: internal: odd"]);
});

Deno.test("errorResult: isError with the text and the CLI's exit code", () => {
  const r = errorResult(notFound("no process named x"));
  equal(r.isError, true);
  deepEqual(r.content, [{ type: "text", text: "error: no process named x" }]);
  equal(r._meta?.[EXIT_CODE_KEY], 2);
  equal(errorResult(new Error("x"))._meta?.[EXIT_CODE_KEY], 1);
  equal(r.structuredContent, undefined);
});

Deno.test("toResult: ok and failed outcomes carry text and structured data", () => {
  const ok = toResult({ kind: "ok", lines: ["a", "b"], data: { n: 1 } });
  deepEqual(ok, { content: [{ type: "text", text: "a\nb" }], structuredContent: { n: 1 } });
  const empty = toResult({ kind: "ok", lines: [], data: { lines: [] } });
  deepEqual(empty.content, [{ type: "text", text: "(no output)" }]);
  const failed = toResult({ kind: "failed", lines: ["error: failed: x"], data: { failed: ["x"] } });
  equal(failed.isError, true);
  deepEqual(failed.structuredContent, { failed: ["x"] });
  equal(failed._meta?.[EXIT_CODE_KEY], 1);
  equal(toResult({ kind: "cancelled" }).isError, true);
});

Deno.test("toolResult: a thrown error becomes a tool error, never a rejection", async () => {
  const r = await toolResult(() => Promise.reject(new CliError("nope", { hint: "try again" })));
  deepEqual(r.content, [{ type: "text", text: "error: nope\nhint: try again" }]);
  const s = await toolResult(() => Promise.resolve({ kind: "ok", lines: ["x"], data: {} }));
  equal(s.isError, undefined);
});
