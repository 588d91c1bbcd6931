/**
 * In-process tests of the supervisor on a fake clock, fake children and
 * in-memory logs: spawn, restart policy and backoff, stop escalation, stale
 * generations, spawn failures, crash recovery. Each runs in milliseconds.
 */

import { deepStrictEqual as eq, equal, ok } from "node:assert/strict";
import { emptyState } from "./state_file.ts";
import { newRecord, type ProcRecord } from "./lifecycle.ts";
import { reapOrphans, reviveLost } from "./recover.ts";
import { reach, type Rig, rig, spec } from "./test_support.ts";
import type { SupervisorDeps } from "./deps.ts";

/** The phase kind of `name` once it is `kind`. */
function phase(r: Rig, name: string, kind: ProcRecord["phase"]["kind"]) {
  return reach(r.sup, () => r.sup.get(name)?.phase.kind === kind || undefined, `${name} ${kind}`);
}

/** Runs `body` with a fresh rig in a temp dir, then closes it. */
async function withRig(
  body: (r: Rig) => Promise<void>,
  saved = emptyState(),
  over: Partial<SupervisorDeps> = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ap-sup-" });
  const r = rig(dir, saved, over);
  try {
    await body(r);
  } finally {
    r.sup.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("start spawns at once with the next id; output reaches the log; an exit is final under never", () =>
  withRig(async (r) => {
    const rec = r.sup.start(spec("web"));
    equal(rec.phase.kind, "running");
    equal(rec.id, "p1");
    equal(rec.generation, 1);
    r.children.last.print("hello\n");
    eq(r.logs.get("web")?.lines.map((l) => l.text), ["hello"]);
    r.children.last.exit(3);
    await phase(r, "web", "exited");
    equal(r.sup.info(r.sup.get("web")!).exit_code, 3);
    equal(r.sup.hasLive(), false);
  }));

Deno.test("on-failure restarts a crash after the delay, doubling per crash; a clean exit is final", () =>
  withRig(async (r) => {
    r.sup.start(spec("job", { autorestart: "on-failure", restartDelayMs: 100 }));
    r.children.last.exit(1);
    await phase(r, "job", "restarting");
    r.clock.advance(99);
    equal(r.children.all.length, 1);
    r.clock.advance(1);
    equal(r.children.all.length, 2);
    equal(r.sup.get("job")?.generation, 2);
    r.children.last.exit(1);
    await phase(r, "job", "restarting");
    r.clock.advance(199);
    equal(r.children.all.length, 2);
    r.clock.advance(1);
    equal(r.children.all.length, 3);
    equal(r.sup.get("job")?.restartCount, 2);
    equal(r.sup.get("job")?.id, "p3");
    r.children.last.exit(0);
    await phase(r, "job", "exited");
    equal(r.clock.pending, 0);
  }));

Deno.test("max restarts exhausted ends in failed", () =>
  withRig(async (r) => {
    r.sup.start(spec("job", { autorestart: "always", maxRestarts: 1, restartDelayMs: 10 }));
    r.children.last.exit(1);
    await phase(r, "job", "restarting");
    r.clock.advance(10);
    r.children.last.exit(1);
    await phase(r, "job", "failed");
    ok(r.logs.get("job")?.lines.some((l) => l.text.includes("Max restarts (1) exhausted")));
  }));

Deno.test("stop sends the stop signal, then SIGKILL after the stop timeout", () =>
  withRig(async (r) => {
    r.sup.start(spec("srv", { stopSignal: "SIGINT", stopTimeoutMs: 500 }));
    const child = r.children.last;
    child.ignores.add("SIGINT");
    r.sup.dispatch("srv", { type: "stop" });
    eq(r.children.signals, [{ pid: child.pid, signal: "SIGINT" }]);
    equal(r.sup.get("srv")?.phase.kind, "stopping");
    r.clock.advance(499);
    equal(r.children.signals.length, 1);
    r.clock.advance(1);
    eq(r.children.signals[1], { pid: child.pid, signal: "SIGKILL" });
    await phase(r, "srv", "stopped");
    eq(r.sup.get("srv")?.lastExit, { code: null, signal: "SIGKILL" });
  }));

Deno.test("a late exit or kill timer of an old generation does not touch the new one", () =>
  withRig(async (r) => {
    r.sup.start(spec("web", { stopTimeoutMs: 50 }));
    const first = r.children.last;
    r.sup.dispatch("web", { type: "restart", annotation: "Restarted (manual)" });
    await reach(r.sup, () => r.sup.get("web")?.generation === 2 || undefined, "generation 2");
    const second = r.children.last;
    ok(first !== second);
    const now = r.sup.get("web");
    r.sup.dispatch("web", { type: "exited", generation: 1, exit: { code: 9, signal: null } });
    r.clock.advance(1000);
    equal(r.sup.get("web"), now);
    ok(!r.children.signals.some((s) => s.pid === second.pid));
  }));

Deno.test("a spawn failure shows in the returned record, the log and the status row", () =>
  withRig((r) => {
    r.children.failNext = "cannot start: working directory /gone or sh not found";
    const rec = r.sup.start(spec("bad"));
    equal(rec.spawnError, "cannot start: working directory /gone or sh not found");
    eq(rec.phase.kind === "exited" && rec.phase.exit, { code: 127, signal: null });
    equal(rec.id, "p1");
    ok(r.logs.get("bad")?.lines.some((l) => l.annotation && l.text.includes("/gone")));
    equal(r.sup.info(rec).pid, null);
    // The next start works and clears the reason.
    const again = r.sup.start(spec("bad"));
    equal(again.spawnError, null);
    equal(again.phase.kind, "running");
    return Promise.resolve();
  }));

Deno.test("newSpec takes effect at the next restart of a stopped process", () =>
  withRig(async (r) => {
    r.sup.start(spec("web"));
    r.children.last.exit(0);
    await phase(r, "web", "exited");
    r.sup.dispatch("web", { type: "newSpec", spec: spec("web", { cmd: "echo v2" }) });
    r.sup.dispatch("web", { type: "restart", annotation: "Restarted (manual)" });
    equal(r.children.last.spec.cmd, "echo v2");
  }));

Deno.test("crash recovery: lost groups are marked exited and policy restarts bring them back", async () => {
  const pidMax = Number(Deno.readTextFileSync("/proc/sys/kernel/pid_max").trim());
  const gone = { kind: "running" as const, pid: pidMax + 1, startedAt: 0 };
  const saved = {
    ...emptyState(),
    nextId: 7,
    records: [
      { ...newRecord(spec("web", { autorestart: "always" }), 3), id: "p5", phase: gone },
      { ...newRecord(spec("job"), 1), id: "p6", phase: gone },
      { ...newRecord(spec("done"), 1), id: "p4" },
    ],
  };
  const reaped = await reapOrphans(saved, 10);
  eq(reaped.lost, ["web", "job"]);
  await withRig((r) => {
    reviveLost(r.sup, reaped.lost);
    const web = r.sup.get("web");
    equal(web?.phase.kind, "running");
    equal(web?.generation, 4);
    equal(web?.id, "p7");
    equal(r.sup.get("job")?.phase.kind, "exited");
    equal(r.sup.get("done")?.phase.kind, "stopped");
    ok(r.logs.get("job")?.lines.some((l) => l.text.includes("Daemon died")));
    ok(r.logs.get("web")?.lines.some((l) => l.text.includes("Restarted (after daemon crash)")));
    return Promise.resolve();
  }, reaped.state);
});

Deno.test("forget stops a live process, then removes its record and closes its log", () =>
  withRig(async (r) => {
    r.sup.start(spec("web"));
    const log = r.logs.get("web");
    r.sup.dispatch("web", { type: "forget" });
    await reach(r.sup, () => r.sup.get("web") === undefined || undefined, "web forgotten");
    equal(log?.closed, true);
  }));

Deno.test("shutdown stops dependents first, through processes that are not live (as down does)", () =>
  withRig(async (r) => {
    const { stopAllInOrder } = await import("./stopping.ts");
    r.sup.start(spec("c"));
    r.sup.start(spec("b", { dependsOn: ["c"] }));
    r.sup.start(spec("a", { dependsOn: ["b"] }));
    const [c, b, a] = r.children.all;
    b.exit(0);
    await phase(r, "b", "exited");
    a.ignores.add("SIGTERM");
    const done = stopAllInOrder(r.sup);
    await phase(r, "a", "stopping");
    eq(r.children.signals.map((s) => s.pid), [a.pid]);
    a.exit(null, "SIGTERM");
    await done;
    eq(r.children.signals.map((s) => s.pid), [a.pid, c.pid]);
    equal(r.sup.hasLive(), false);
  }));

Deno.test("browser lines go to the browser stream of the current incarnation; errors are one event per batch", () => {
  const events: string[] = [];
  return withRig(
    async (r) => {
      r.sup.start(spec("web", { browserLogs: true }));
      r.sup.browserLines("web", [
        { level: "log", text: "[browser] log hello" },
        { level: "error", text: "[browser] error Uncaught TypeError: boom (http://w/a.js:1:2)" },
        { level: "error", text: "[browser] error second" },
      ]);
      r.sup.browserLines("nobody", [{ level: "error", text: "[browser] error ignored" }]);
      const lines = r.logs.get("web")?.lines ?? [];
      eq(lines.map((l) => [l.stream, l.generation, l.text]), [
        ["browser", 1, "[browser] log hello"],
        ["browser", 1, "[browser] error Uncaught TypeError: boom (http://w/a.js:1:2)"],
        ["browser", 1, "[browser] error second"],
      ]);
      eq(events, [
        'web browser-error {"message":"Uncaught TypeError: boom (http://w/a.js:1:2)","count":2}',
      ]);
      await Promise.resolve();
    },
    emptyState(),
    {
      events: {
        append: (e) => {
          if (e.type === "browser-error") {
            events.push(
              `${e.name} ${e.type} ${JSON.stringify(e.details)}`,
            );
          }
        },
      },
    },
  );
});
