/** Unit tests of the tool schemas: inputs refuse what the CLI would, outputs accept real rows. */

import { equal, ok } from "node:assert/strict";
import { z } from "zod";
import { processRow, runInput, waitOutput } from "./schemas.ts";
import { sampleRow } from "../testkit.ts";

const row = sampleRow({ a_field_added_later: true });

Deno.test("processRow: accepts a status row, extra fields included", () => {
  ok(processRow.safeParse(row).success);
  equal(processRow.safeParse({ ...row, pid: "42" }).success, false);
});

Deno.test("runInput: env names cannot contain '=', ports stay in range", () => {
  const run = z.object(runInput);
  ok(run.safeParse({ cmd: "x", env: { A: "1=2" } }).success);
  equal(run.safeParse({ cmd: "x", env: { "A=B": "1" } }).success, false);
  equal(run.safeParse({ cmd: "x", port: 70000 }).success, false);
  equal(run.safeParse({ cmd: "" }).success, false);
});

Deno.test("waitOutput: each wait result kind fits", () => {
  const out = z.object(waitOutput);
  ok(out.safeParse({ process: "w", kind: "ready" }).success);
  ok(out.safeParse({ process: "w", kind: "exited", exitCode: 0, signal: null }).success);
  ok(
    out.safeParse({
      process: "w",
      kind: "matched",
      line: { seq: 1, ts: 1, stream: "stdout", generation: 1, text: "hi", annotation: false },
    }).success,
  );
});
