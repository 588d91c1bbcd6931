/** Tests for value rules (names, ports, durations, signals), suggestions and path helpers. */

import assert from "node:assert/strict";
import { isPort, nameProblem, parseDuration, parseSignal } from "./values.ts";
import { didYouMean, editDistance, suggest } from "./suggest.ts";
import { resolveFrom, shortPath } from "./paths.ts";

Deno.test("names: 1-64 of A-Za-z0-9._-, not starting with . or -", () => {
  for (const ok of ["a", "api", "web.1", "A_b-c", "_x", "9", "x".repeat(64)]) {
    assert.equal(nameProblem(ok), null, ok);
  }
  assert.equal(nameProblem(""), "it is empty");
  assert.equal(nameProblem("x".repeat(65)), "longer than 64 characters");
  assert.equal(nameProblem(".hidden"), 'it cannot start with "."');
  assert.equal(nameProblem("-flag"), 'it cannot start with "-"');
  for (const bad of ["a b", "a/b", "é", "a:b"]) {
    assert.equal(nameProblem(bad), "only A-Z a-z 0-9 . _ - are allowed");
  }
});

Deno.test("ports", () => {
  assert.deepEqual([1, 80, 65535].map(isPort), [true, true, true]);
  assert.deepEqual([0, -1, 65536, 80.5, NaN].map(isPort), [false, false, false, false, false]);
});

Deno.test("durations: numbers in the given unit, strings with units", () => {
  const ms = (v: number | string, unit = 1000, min = 0) => {
    const r = parseDuration(v, unit, min);
    return r.ok ? r.value : r.message;
  };
  assert.equal(ms(10), 10_000);
  assert.equal(ms(1.5), 1500);
  assert.equal(ms(250, 1), 250);
  assert.equal(ms("500ms"), 500);
  assert.equal(ms("10s"), 10_000);
  assert.equal(ms("2m"), 120_000);
  assert.equal(ms("1h"), 3_600_000);
  assert.equal(ms("1.5s"), 1500);
  assert.equal(ms("1m30s"), 90_000);
  assert.equal(ms(" 3s "), 3000);
  assert.equal(
    ms("10"),
    'expected a duration such as 500ms, 10s or 2m, got "10" (add a unit: "10s" or "10ms")',
  );
  assert.equal(ms("ten s"), 'expected a duration such as 500ms, 10s or 2m, got "ten s"');
  assert.equal(ms("-1s"), 'expected a duration such as 500ms, 10s or 2m, got "-1s"');
  assert.equal(ms(-1), "expected a duration >= 0, got -1");
  assert.equal(ms(0, 1000, 1), "must be greater than 0, got 0");
  assert.equal(ms("25h"), 'must be at most 24h, got "25h"');
});

Deno.test("signals: SIGTERM, TERM and sigterm; stopping signals only", () => {
  for (const v of ["SIGTERM", "TERM", "sigterm", " term "]) {
    assert.deepEqual(parseSignal(v), { ok: true, value: "SIGTERM" });
  }
  assert.deepEqual(parseSignal("KILL"), { ok: true, value: "SIGKILL" });
  for (const v of ["SIGFOO", "SIGSTOP", "SIGCHLD", "SIGBREAK", "15", ""]) {
    assert.equal(parseSignal(v).ok, false, v);
  }
});

Deno.test("suggest: edit distance, normalization, prefixes, aliases", () => {
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("cdw", "cwd"), 1);
  const keys = ["cmd", "cwd", "env", "env_file", "depends_on", "ready_timeout", "stop_signal"];
  assert.equal(suggest("depend_on", keys), "depends_on");
  assert.equal(suggest("readyTimeout", keys), "ready_timeout");
  assert.equal(suggest("ENV-FILE", keys), "env_file");
  assert.equal(suggest("cdw", keys), "cwd");
  assert.equal(suggest("depends", keys), "depends_on");
  assert.equal(suggest("zzzzzz", keys), null);
  assert.equal(suggest("command", keys), null);
  assert.equal(suggest("command", keys, { command: "cmd" }), "cmd");
  assert.equal(didYouMean("stop_signl", keys), ' (did you mean "stop_signal"?)');
  assert.equal(didYouMean("zzzzzz", keys), "");
});

Deno.test("paths: resolveFrom and shortPath", () => {
  assert.equal(resolveFrom("/cfg", "sub/../x", undefined), "/cfg/x");
  assert.equal(resolveFrom("/cfg", "/abs/./y", undefined), "/abs/y");
  assert.equal(resolveFrom("/cfg", "~/p", "/home/u"), "/home/u/p");
  assert.equal(resolveFrom("/cfg", "~/p", undefined), "/cfg/~/p");
  assert.equal(shortPath("/w/proj/agent-procs.yaml", "/w/proj"), "agent-procs.yaml");
  assert.equal(
    shortPath("/work/project/agent-procs.yaml", "/work/project/a/b"),
    "../../agent-procs.yaml",
  );
  assert.equal(shortPath("/a.yaml", "/very/deep/dir/here"), "/a.yaml");
  assert.equal(shortPath("/w/proj", "/w/proj"), ".");
});
