/**
 * The life of one supervised process as a pure state machine:
 * `transition(record, event, now) -> { record, effects }`, plus the named
 * questions about a phase (`isLive`, `isUp`, `canRevive`, ...) that everything
 * else asks instead of testing phase kinds itself. The supervisor owns the
 * records and runs the effects (spawn, signal, timers, annotations); this
 * module does no I/O, so every decision here is unit-tested. Messages (events
 * in, effects out) are tagged `type`; states (`Phase`, `AfterStop`) `kind`.
 */

import type { ProcessSpec, StateName } from "../model.ts";

/** How an incarnation ended. */
export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/** What to do once a stopping process has exited. */
export type AfterStop =
  | { kind: "stopped" }
  | { kind: "restart"; annotation: string }
  | { kind: "forget" };

/** The phase of a process: one variant per state, carrying only what that state needs. */
export type Phase =
  | { kind: "starting" }
  | { kind: "running"; pid: number; startedAt: number }
  | { kind: "stopping"; pid: number; startedAt: number; after: AfterStop; killed: boolean }
  | { kind: "restarting"; at: number; annotation: string }
  | { kind: "exited"; exit: ExitInfo; at: number }
  | { kind: "stopped"; exit: ExitInfo | null; at: number }
  | { kind: "failed"; exit: ExitInfo; at: number }
  | { kind: "gone" };

/** One supervised process. */
export interface ProcRecord {
  spec: ProcessSpec;
  /** Id of the current (or last) incarnation, e.g. `p7`. */
  id: string;
  /** Spawn counter of this name (1, 2, ...). */
  generation: number;
  /** Generation at which the current run (the last `run`/`up`/manual restart) began. */
  runGeneration: number;
  phase: Phase;
  /** Readiness: null when the process has no readiness check. */
  ready: boolean | null;
  /** Automatic restarts since the last manual start. */
  restartCount: number;
  /** Consecutive crashes (for the backoff); reset after 10 s of uptime. */
  crashStreak: number;
  lastExit: ExitInfo | null;
  /** Why the current generation could not be spawned (cwd missing, no `sh`), else null. */
  spawnError: string | null;
}

/** Events the supervisor feeds into `transition`. */
export type LifeEvent =
  | { type: "spawned"; generation: number; pid: number; id: string }
  | { type: "spawnFailed"; generation: number; id: string; message: string }
  | { type: "exited"; generation: number; exit: ExitInfo }
  | { type: "newSpec"; spec: ProcessSpec }
  | { type: "start" }
  | { type: "stop" }
  | { type: "forget" }
  | { type: "restart"; annotation: string }
  | { type: "fileChanged"; path: string }
  | { type: "killTimer"; generation: number }
  | { type: "restartTimer"; generation: number }
  | { type: "ready"; generation: number };

/** Side effects for the supervisor's thin shell to perform. */
export type Effect =
  | { type: "spawn"; generation: number }
  | { type: "signal"; pid: number; signal: Deno.Signal }
  | { type: "timer"; timer: "kill" | "restart"; generation: number; ms: number }
  | { type: "annotate"; text: string };

/** Result of a transition. */
export interface Step {
  record: ProcRecord;
  effects: Effect[];
}

/** The exit a failed spawn counts as (what a shell gives for "command not found"). */
const SPAWN_FAILED: ExitInfo = { code: 127, signal: null };

/** Restart delays double per consecutive crash up to this cap (ms). */
export const MAX_RESTART_DELAY_MS = 30_000;
/** Uptime after which the crash streak (and so the delay) resets (ms). */
export const STABLE_UPTIME_MS = 10_000;

/** A fresh record for a spec, not yet started. */
export function newRecord(spec: ProcessSpec, generation = 0): ProcRecord {
  return {
    spec,
    id: "",
    generation,
    runGeneration: generation + 1,
    phase: { kind: "stopped", exit: null, at: 0 },
    ready: null,
    restartCount: 0,
    crashStreak: 0,
    lastExit: null,
    spawnError: null,
  };
}

/** Is it live? It holds (or is about to hold) an incarnation, or a restart is pending. */
export function isLive(p: Phase): boolean {
  return hasIncarnation(p) || p.kind === "restarting";
}

/** Has it an incarnation? The current generation is being spawned, runs, or is stopping. */
export function hasIncarnation(p: Phase): boolean {
  return p.kind === "starting" || p.kind === "running" || p.kind === "stopping";
}

/** Has it a process group? Its incarnation was spawned and has not exited yet. */
export function hasProcessGroup(p: Phase): p is Extract<Phase, { kind: "running" | "stopping" }> {
  return p.kind === "running" || p.kind === "stopping";
}

/** Is it up? The current incarnation runs (or is being spawned) and nobody is stopping it. */
export function isUp(p: Phase): boolean {
  return p.kind === "starting" || p.kind === "running";
}

/** Can it be revived? A file change would start it again (everything but a user's stop). */
export function canRevive(p: Phase): boolean {
  return p.kind !== "stopped" && p.kind !== "gone";
}

/** Ended for good? It has ended and will not come back by itself. */
export function isEndedForGood(p: Phase): boolean {
  return !isLive(p);
}

/** The state name shown to users. */
export function stateName(p: Phase): StateName {
  switch (p.kind) {
    case "starting":
    case "running":
      return "running";
    case "gone":
      return "stopped";
    default:
      return p.kind;
  }
}

/** Delay before the n-th consecutive automatic restart (n >= 1). */
export function restartDelay(baseMs: number, streak: number): number {
  const d = baseMs * 2 ** Math.max(0, streak - 1);
  return Math.min(d, Math.max(MAX_RESTART_DELAY_MS, baseMs));
}

/** Whether a restart policy restarts after this exit. */
export function policyRestarts(policy: ProcessSpec["autorestart"], exit: ExitInfo): boolean {
  switch (policy) {
    case "always":
      return true;
    case "on-failure":
      return exit.code !== 0;
    case "never":
      return false;
  }
}

/** Human text for an exit ("exit 1" or "signal SIGKILL"). */
export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `signal ${exit.signal}` : `exit ${exit.code ?? "?"}`;
}

function start(rec: ProcRecord, annotation: string | null, manual: boolean): Step {
  const generation = rec.generation + 1;
  const record: ProcRecord = {
    ...rec,
    generation,
    phase: { kind: "starting" },
    ready: rec.spec.ready ? false : null,
    spawnError: null,
  };
  if (manual) {
    record.restartCount = 0;
    record.crashStreak = 0;
    record.runGeneration = generation;
  }
  const effects: Effect[] = [];
  if (annotation) effects.push({ type: "annotate", text: annotation });
  effects.push({ type: "spawn", generation });
  return { record, effects };
}

function stopRunning(rec: ProcRecord, pid: number, startedAt: number, after: AfterStop): Step {
  return {
    record: { ...rec, phase: { kind: "stopping", pid, startedAt, after, killed: false } },
    effects: [
      { type: "signal", pid, signal: rec.spec.stopSignal },
      { type: "timer", timer: "kill", generation: rec.generation, ms: rec.spec.stopTimeoutMs },
    ],
  };
}

function onExit(rec: ProcRecord, exit: ExitInfo, now: number): Step {
  const p = rec.phase;
  const base = { ...rec, lastExit: exit, ready: rec.spec.ready ? false : null };
  if (p.kind === "stopping") {
    if (p.after.kind === "stopped") {
      return { record: { ...base, phase: { kind: "stopped", exit, at: now } }, effects: [] };
    }
    if (p.after.kind === "forget") {
      return { record: { ...base, phase: { kind: "gone" } }, effects: [] };
    }
    return start(base, p.after.annotation, false);
  }
  const uptime = p.kind === "running" ? now - p.startedAt : 0;
  const streak = uptime >= STABLE_UPTIME_MS ? 0 : rec.crashStreak;
  if (!policyRestarts(rec.spec.autorestart, exit)) {
    return {
      record: { ...base, crashStreak: streak, phase: { kind: "exited", exit, at: now } },
      effects: [],
    };
  }
  const max = rec.spec.maxRestarts;
  if (max !== null && rec.restartCount >= max) {
    return {
      record: { ...base, crashStreak: streak, phase: { kind: "failed", exit, at: now } },
      effects: [{ type: "annotate", text: `Max restarts (${max}) exhausted` }],
    };
  }
  const count = rec.restartCount + 1;
  const nextStreak = streak + 1;
  const delay = restartDelay(rec.spec.restartDelayMs, nextStreak);
  const attempt = max === null ? `${count}` : `${count}/${max}`;
  const annotation = `Restarted (${describeExit(exit)}, attempt ${attempt})`;
  return {
    record: {
      ...base,
      restartCount: count,
      crashStreak: nextStreak,
      phase: { kind: "restarting", at: now + delay, annotation },
    },
    effects: [{ type: "timer", timer: "restart", generation: rec.generation, ms: delay }],
  };
}

/**
 * The pure transition function: every change of a record (phase, counters,
 * incarnation id, spec) is one of these steps. The supervisor creates records
 * (`newRecord`) and removes `gone` ones; nothing else edits them.
 */
export function transition(rec: ProcRecord, ev: LifeEvent, now: number): Step {
  const p = rec.phase;
  const same = (g: number) => g === rec.generation;
  const none: Step = { record: rec, effects: [] };
  switch (ev.type) {
    case "spawned":
      if (!same(ev.generation) || p.kind !== "starting") return none;
      return {
        record: { ...rec, id: ev.id, phase: { kind: "running", pid: ev.pid, startedAt: now } },
        effects: [],
      };
    case "spawnFailed": {
      if (!same(ev.generation) || p.kind !== "starting") return none;
      // As if the shell had exited 127 at once: the restart policy decides what follows.
      const step = onExit({ ...rec, id: ev.id, spawnError: ev.message }, SPAWN_FAILED, now);
      return {
        record: step.record,
        effects: [{ type: "annotate", text: ev.message }, ...step.effects],
      };
    }
    case "exited":
      if (!same(ev.generation) || !hasIncarnation(p)) return none;
      return onExit(rec, ev.exit, now);
    case "newSpec":
      if (isLive(p) || ev.spec.name !== rec.spec.name) return none;
      return { record: { ...rec, spec: ev.spec }, effects: [] };
    case "stop":
    case "forget": {
      const after: AfterStop = ev.type === "stop" ? { kind: "stopped" } : { kind: "forget" };
      if (p.kind === "running") return stopRunning(rec, p.pid, p.startedAt, after);
      if (p.kind === "stopping") return { record: { ...rec, phase: { ...p, after } }, effects: [] };
      if (ev.type === "forget") return { record: { ...rec, phase: { kind: "gone" } }, effects: [] };
      if (p.kind === "restarting" || p.kind === "failed") {
        return {
          record: { ...rec, phase: { kind: "stopped", exit: rec.lastExit, at: now } },
          effects: [],
        };
      }
      return none;
    }
    case "start":
    case "restart":
    case "fileChanged": {
      const annotation = ev.type === "restart"
        ? ev.annotation
        : ev.type === "fileChanged"
        ? `File changed (${ev.path}), restarted`
        : "";
      if (ev.type === "fileChanged" && !canRevive(p)) return none;
      if (p.kind === "running") {
        const r = stopRunning(rec, p.pid, p.startedAt, { kind: "restart", annotation });
        r.record = {
          ...r.record,
          restartCount: 0,
          crashStreak: 0,
          runGeneration: rec.generation + 1,
        };
        return r;
      }
      if (p.kind === "stopping") {
        return {
          record: {
            ...rec,
            restartCount: 0,
            crashStreak: 0,
            phase: { ...p, after: { kind: "restart", annotation } },
          },
          effects: [],
        };
      }
      if (p.kind === "starting") return none;
      return start(rec, annotation, true);
    }
    case "killTimer":
      if (!same(ev.generation) || p.kind !== "stopping" || p.killed) return none;
      return {
        record: { ...rec, phase: { ...p, killed: true } },
        effects: [{ type: "signal", pid: p.pid, signal: "SIGKILL" }],
      };
    case "restartTimer":
      if (!same(ev.generation) || p.kind !== "restarting") return none;
      return start(rec, p.annotation, false);
    case "ready":
      if (!same(ev.generation) || !isUp(p)) return none;
      return { record: { ...rec, ready: true }, effects: [] };
  }
}
