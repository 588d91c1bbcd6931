/** Unit tests of how a process waiting at a prompt is presented: `input?` and the `status NAME` block. */

import { equal, ok } from "node:assert/strict";
import { sampleRow } from "../testkit.ts";
import { promptBlock, statusTable, statusText } from "./format.ts";

const waiting = sampleRow({
  name: "py",
  stdin: "pipe",
  awaiting_input: { prompt: "Proceed? (y/n)", since: "2026-01-01T00:00:00.000Z" },
});

Deno.test("status table: STATE is input? while a process waits at a prompt", () => {
  const [head, row] = statusTable([waiting, sampleRow({ name: "web" })]);
  ok(head.includes("STATE"));
  ok(/\binput\?/.test(row), row);
});

Deno.test("status NAME: the prompt, since when, and the send hint", () => {
  const lines = promptBlock(waiting, Date.parse("2026-01-01T00:00:05.000Z"));
  equal(lines[0], 'py is waiting for input (since 5s ago): "Proceed? (y/n)"');
  equal(lines[1], "  hint: answer it: agent-procs send py TEXT (or --key enter, --key down, ...)");
  ok(statusText([waiting], true).some((l) => l.startsWith("py is waiting for input")));
  equal(statusText([waiting], false).some((l) => l.includes("waiting")), false);
});
