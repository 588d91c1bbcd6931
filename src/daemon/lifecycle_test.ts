/** Unit tests of the pure lifecycle transitions. */

import { deepStrictEqual as eq, equal } from "node:assert/strict";
import { defaultSpec, type ProcessSpec } from "../model.ts";
import {
  canRevive,
  type Effect,
  hasIncarnation,
  hasProcessGroup,
  isEndedForGood,
  isLive,
  isUp,
  type LifeEvent,
  newRecord,
  type Phase,
  type ProcRecord,
  restartDelay,
  stateName,
  transition,
} from "./lifecycle.ts";

function spec(over: Partial<ProcessSpec> = {}): ProcessSpec {
  return defaultSpec({ name: "p", cmd: "true", cwd: "/" }, over);
}

/** Applies events in order; returns the final record and all effects. */
function run(
  rec: ProcRecord,
  events: [LifeEvent, number][],
): { rec: ProcRecord; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const [ev, now] of events) {
    const step = transition(rec, ev, now);
    rec = step.record;
    effects.push(...step.effects);
  }
  return { rec, effects };
}

function started(s: ProcessSpec, pid = 100, now = 0): ProcRecord {
  return run(newRecord(s), [[{ type: "start" }, now], [
    { type: "spawned", generation: 1, pid, id: "x" },
    now,
  ]]).rec;
}

const exit = (code: number | null, signal: string | null = null) => ({ code, signal });

Deno.test("start spawns generation 1 and spawned makes it running", () => {
  const { rec, effects } = run(newRecord(spec()), [[{ type: "start" }, 0]]);
  equal(rec.phase.kind, "starting");
  equal(rec.generation, 1);
  eq(effects, [{ type: "spawn", generation: 1 }]);
  const r2 = transition(rec, { type: "spawned", generation: 1, pid: 42, id: "x" }, 5).record;
  eq(r2.phase, { kind: "running", pid: 42, startedAt: 5 });
  equal(r2.id, "x");
  equal(stateName(r2.phase), "running");
});

Deno.test("policy never: an exit is final", () => {
  const { rec, effects } = run(started(spec()), [[
    { type: "exited", generation: 1, exit: exit(1) },
    10,
  ]]);
  eq(rec.phase, { kind: "exited", exit: exit(1), at: 10 });
  eq(effects, []);
});

Deno.test("on-failure restarts a crash, not a clean exit", () => {
  const s = spec({ autorestart: "on-failure" });
  equal(
    run(started(s), [[{ type: "exited", generation: 1, exit: exit(0) }, 10]]).rec.phase.kind,
    "exited",
  );
  const { rec, effects } = run(started(s), [[
    { type: "exited", generation: 1, exit: exit(2) },
    10,
  ]]);
  eq(rec.phase, { kind: "restarting", at: 1010, annotation: "Restarted (exit 2, attempt 1)" });
  eq(effects, [{ type: "timer", timer: "restart", generation: 1, ms: 1000 }]);
  const next = run(rec, [[{ type: "restartTimer", generation: 1 }, 1010]]);
  equal(next.rec.generation, 2);
  equal(next.rec.restartCount, 1);
  eq(next.effects, [
    { type: "annotate", text: "Restarted (exit 2, attempt 1)" },
    { type: "spawn", generation: 2 },
  ]);
});

Deno.test("always restarts clean exits and signals too", () => {
  const s = spec({ autorestart: "always", maxRestarts: 3 });
  const a = run(started(s), [[{ type: "exited", generation: 1, exit: exit(0) }, 10]]).rec;
  eq(a.phase.kind === "restarting" && a.phase.annotation, "Restarted (exit 0, attempt 1/3)");
  const b =
    run(started(s), [[{ type: "exited", generation: 1, exit: exit(null, "SIGKILL") }, 10]]).rec;
  eq(
    b.phase.kind === "restarting" && b.phase.annotation,
    "Restarted (signal SIGKILL, attempt 1/3)",
  );
});

Deno.test("max_restarts exhausted gives failed with an annotation", () => {
  const s = spec({ autorestart: "always", maxRestarts: 1 });
  let rec = started(s);
  rec = run(rec, [
    [{ type: "exited", generation: 1, exit: exit(1) }, 10],
    [{ type: "restartTimer", generation: 1 }, 1010],
    [{ type: "spawned", generation: 2, pid: 101, id: "x" }, 1010],
  ]).rec;
  const { rec: last, effects } = run(rec, [[
    { type: "exited", generation: 2, exit: exit(1) },
    1020,
  ]]);
  equal(last.phase.kind, "failed");
  eq(effects, [{ type: "annotate", text: "Max restarts (1) exhausted" }]);
});

Deno.test("the delay doubles per consecutive crash, caps at 30 s, and resets after 10 s up", () => {
  eq([1, 2, 3, 4, 10].map((n) => restartDelay(1000, n)), [1000, 2000, 4000, 8000, 30000]);
  const s = spec({ autorestart: "always" });
  let rec = started(s);
  const delays: number[] = [];
  let now = 0;
  for (let g = 1; g <= 3; g++) {
    const step = run(rec, [[{ type: "exited", generation: g, exit: exit(1) }, now + 100]]);
    const t = step.effects.find((e) => e.type === "timer");
    delays.push(t && t.type === "timer" ? t.ms : -1);
    now += 100 + delays[delays.length - 1];
    rec = run(step.rec, [
      [{ type: "restartTimer", generation: g }, now],
      [{ type: "spawned", generation: g + 1, pid: 200 + g, id: "x" }, now],
    ]).rec;
  }
  eq(delays, [1000, 2000, 4000]);
  // Up for 10 s: the next crash starts over at the base delay.
  const step = run(rec, [[{ type: "exited", generation: 4, exit: exit(1) }, now + 10_000]]);
  eq(step.effects.find((e) => e.type === "timer"), {
    type: "timer",
    timer: "restart",
    generation: 4,
    ms: 1000,
  });
});

Deno.test("stop: SIGTERM and a kill timer, SIGKILL when it fires, stopped on exit", () => {
  const s = spec({ stopTimeoutMs: 500, stopSignal: "SIGINT" });
  const a = run(started(s, 77), [[{ type: "stop" }, 10]]);
  equal(a.rec.phase.kind, "stopping");
  eq(a.effects, [
    { type: "signal", pid: 77, signal: "SIGINT" },
    { type: "timer", timer: "kill", generation: 1, ms: 500 },
  ]);
  const b = run(a.rec, [[{ type: "killTimer", generation: 1 }, 510]]);
  eq(b.effects, [{ type: "signal", pid: 77, signal: "SIGKILL" }]);
  const c = run(b.rec, [[{ type: "exited", generation: 1, exit: exit(null, "SIGKILL") }, 520]]);
  eq(c.rec.phase, { kind: "stopped", exit: exit(null, "SIGKILL"), at: 520 });
});

Deno.test("a manual stop while restarting cancels the restart; a late timer is ignored", () => {
  const s = spec({ autorestart: "always" });
  const r = run(started(s), [[{ type: "exited", generation: 1, exit: exit(1) }, 10], [{
    type: "stop",
  }, 20]]);
  equal(r.rec.phase.kind, "stopped");
  const late = transition(r.rec, { type: "restartTimer", generation: 1 }, 1010);
  equal(late.record, r.rec);
  eq(late.effects, []);
});

Deno.test("restart re-enables and resets; stale events of the old generation are dropped", () => {
  const s = spec({ autorestart: "always", maxRestarts: 2 });
  let rec: ProcRecord = { ...started(s), restartCount: 2 };
  const a = run(rec, [[{ type: "restart", annotation: "Restarted (manual)" }, 10]]);
  equal(a.rec.phase.kind, "stopping");
  equal(a.rec.restartCount, 0);
  rec = run(a.rec, [[{ type: "exited", generation: 1, exit: exit(null, "SIGTERM") }, 20]]).rec;
  equal(rec.phase.kind, "starting");
  equal(rec.generation, 2);
  // A second exit of generation 1 (or its kill timer) must not touch generation 2.
  equal(transition(rec, { type: "exited", generation: 1, exit: exit(1) }, 30).record, rec);
  equal(transition(rec, { type: "killTimer", generation: 1 }, 30).record, rec);
  // From stopped, restart starts at once.
  const stopped =
    run(started(s), [[{ type: "stop" }, 0], [{ type: "exited", generation: 1, exit: exit(0) }, 1]])
      .rec;
  const b = run(stopped, [[{ type: "restart", annotation: "Restarted (manual)" }, 2]]);
  eq(b.effects, [{ type: "annotate", text: "Restarted (manual)" }, {
    type: "spawn",
    generation: 2,
  }]);
});

Deno.test("file changes restart running and revive failed or exited, but not stopped", () => {
  const s = spec({ watch: ["src/**"] });
  const a = run(started(s), [[{ type: "fileChanged", path: "src/a.ts" }, 5]]);
  equal(a.rec.phase.kind, "stopping");
  const after = run(a.rec, [[{ type: "exited", generation: 1, exit: exit(null, "SIGTERM") }, 6]]);
  eq(after.effects[0], { type: "annotate", text: "File changed (src/a.ts), restarted" });
  const failed: ProcRecord = {
    ...started(s),
    phase: { kind: "failed", exit: exit(1), at: 1 },
    restartCount: 5,
  };
  const b = run(failed, [[{ type: "fileChanged", path: "x" }, 5]]);
  equal(b.rec.phase.kind, "starting");
  equal(b.rec.restartCount, 0);
  const stopped: ProcRecord = { ...started(s), phase: { kind: "stopped", exit: null, at: 1 } };
  eq(transition(stopped, { type: "fileChanged", path: "x" }, 5).effects, []);
});

Deno.test("forget stops a live process and then removes it", () => {
  const a = run(started(spec(), 9), [[{ type: "forget" }, 0]]);
  equal(a.rec.phase.kind, "stopping");
  equal(run(a.rec, [[{ type: "exited", generation: 1, exit: exit(0) }, 1]]).rec.phase.kind, "gone");
  equal(transition(newRecord(spec()), { type: "forget" }, 0).record.phase.kind, "gone");
});

Deno.test("readiness only counts for the current generation", () => {
  const rec = {
    ...started(spec({ ready: { kind: "log", pattern: "up", regex: false } })),
    ready: false,
  };
  equal(transition(rec, { type: "ready", generation: 1 }, 0).record.ready, true);
  equal(transition(rec, { type: "ready", generation: 0 }, 0).record.ready, false);
});

Deno.test("a failed spawn counts as exit 127, keeps the reason and the id, and annotates it", () => {
  const starting = run(newRecord(spec()), [[{ type: "start" }, 0]]).rec;
  const ev: LifeEvent = { type: "spawnFailed", generation: 1, id: "p3", message: "no sh" };
  const { record, effects } = transition(starting, ev, 5);
  eq(record.phase, { kind: "exited", exit: exit(127), at: 5 });
  equal(record.spawnError, "no sh");
  equal(record.id, "p3");
  eq(effects, [{ type: "annotate", text: "no sh" }]);
  // The policy still decides; the next start clears the reason.
  const always = run(newRecord(spec({ autorestart: "always" })), [[{ type: "start" }, 0]]).rec;
  const r = transition(always, { ...ev }, 5).record;
  equal(r.phase.kind, "restarting");
  const again = run(r, [[{ type: "restartTimer", generation: 1 }, 2000]]).rec;
  equal(again.spawnError, null);
  equal(again.generation, 2);
});

Deno.test("newSpec replaces the spec of a record that is not live, and only then", () => {
  const s2 = spec({ cmd: "echo new" });
  const stopped = newRecord(spec());
  equal(transition(stopped, { type: "newSpec", spec: s2 }, 0).record.spec.cmd, "echo new");
  const live = started(spec());
  equal(transition(live, { type: "newSpec", spec: s2 }, 0).record, live);
  const other = spec({ name: "q" });
  equal(transition(stopped, { type: "newSpec", spec: other }, 0).record, stopped);
});

Deno.test("the phase predicates agree with each phase", () => {
  const phases: Phase[] = [
    { kind: "starting" },
    { kind: "running", pid: 1, startedAt: 0 },
    { kind: "stopping", pid: 1, startedAt: 0, after: { kind: "stopped" }, killed: false },
    { kind: "restarting", at: 0, annotation: "" },
    { kind: "exited", exit: exit(0), at: 0 },
    { kind: "stopped", exit: null, at: 0 },
    { kind: "failed", exit: exit(1), at: 0 },
    { kind: "gone" },
  ];
  const table = phases.map((p) => [
    p.kind,
    isLive(p),
    hasIncarnation(p),
    hasProcessGroup(p),
    isUp(p),
    canRevive(p),
    isEndedForGood(p),
  ]);
  eq(table, [
    ["starting", true, true, false, true, true, false],
    ["running", true, true, true, true, true, false],
    ["stopping", true, true, true, false, true, false],
    ["restarting", true, false, false, false, true, false],
    ["exited", false, false, false, false, true, true],
    ["stopped", false, false, false, false, false, true],
    ["failed", false, false, false, false, true, true],
    ["gone", false, false, false, false, false, true],
  ]);
});
