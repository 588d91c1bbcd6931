/** Unit tests of the list marks of a process waiting at a prompt. */

import { equal, ok } from "node:assert/strict";
import { sampleRow } from "../testkit.ts";
import { stateLabel, suffixMarks } from "./marks.ts";

Deno.test("marks: a process at a prompt shows input? and the question", () => {
  const p = sampleRow({ awaiting_input: { prompt: "Name:", since: "2026-01-01T00:00:00.000Z" } });
  equal(stateLabel(p), 'input?: "Name:"');
  ok(suffixMarks(p).some((s) => s.text === "input?"));
  equal(suffixMarks(sampleRow()).some((s) => s.text === "input?"), false);
});
