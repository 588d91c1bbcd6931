/**
 * The life of one supervised process as a pure state machine:
 * `transition(record, event, now) -> { record, effects }`, plus the named
 * questions about a phase (`isLive`, `isUp`, `canRevive`, ...) that everything
 * else asks instead of testing phase kinds itself. The supervisor owns the
 * records and runs the effects (spawn, signal, timers, annotations); this
 * module does no I/O, so every decision here is unit-tested. Messages (events
 * in, effects out) are tagged `type`; states (`Phase`, `AfterStop`) `kind`.
 */

import type { ProcessSpec } from "../model.ts";
import {
  canRevive,
  describeExit,
  failureReason,
  hasIncarnation,
  isLive,
  isUp,
  policyRestarts,
  restartDelay,
  STABLE_UPTIME_MS,
} from "./phase.ts";

/** The phase questions and restart arithmetic live in `phase.ts`; re-exported for callers. */
export * from "./phase.ts";

/** How an incarnation ended. */
export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/** Why an incarnation was started (the `spawned` event's cause). */
export type StartCause = "run" | "up" | "restart" | "auto-restart" | "watch";

/** What to do once a stopping process has exited. */
export type AfterStop =
  | { kind: "stopped" }
  | { kind: "restart"; annotation: string; cause: StartCause }
  | { kind: "forget" };

/** Why an incarnation counts as failed (SPEC §10). */
export type FailureReason = "exited" | "signal" | "ready-timeout" | "ready-exit" | "spawn-failed";

/** The last failure of a process: why, how, when, and its digest. */
export interface Failure {
  reason: FailureReason;
  /** The incarnation that failed. */
  generation: number;
  exitCode: number | null;
  signal: string | null;
  /** When it failed (ms since the epoch). */
  at: number;
  /** The digest's lines. */
  excerpt: string[];
  /** The digest's decisive line. */
  headline: string;
  /** `port N is held by pid P (COMMAND)`, when the failure names a port in use. */
  hint: string | null;
}

/** The phase of a process: one variant per state, carrying only what that state needs. */
export type Phase =
  | { kind: "starting"; cause: StartCause }
  | { kind: "running"; pid: number; startedAt: number }
  | { kind: "stopping"; pid: number; startedAt: number; after: AfterStop; killed: boolean }
  | { kind: "restarting"; at: number; annotation: string; delayMs: number }
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
  /** The last failed incarnation, with its digest; null until one fails. */
  lastFailure: Failure | null;
  /** Consecutive incarnations that failed less than 10 s after starting (crash-loop counter). */
  quickFailures: number;
}

/** Events the supervisor feeds into `transition`. */
export type LifeEvent =
  | { type: "spawned"; generation: number; pid: number; id: string }
  | { type: "spawnFailed"; generation: number; id: string; message: string }
  | { type: "exited"; generation: number; exit: ExitInfo }
  | { type: "newSpec"; spec: ProcessSpec }
  | { type: "start"; cause?: StartCause }
  | { type: "stop" }
  | { type: "forget" }
  | { type: "restart"; annotation: string; cause?: StartCause }
  | { type: "readyTimeout"; generation: number }
  | { type: "failure"; failure: Failure }
  | { type: "failureHint"; generation: number; hint: string }
  | { type: "fileChanged"; path: string }
  | { type: "killTimer"; generation: number }
  | { type: "restartTimer"; generation: number }
  | { type: "ready"; generation: number };

/** Side effects for the supervisor's thin shell to perform. */
export type Effect =
  | { type: "spawn"; generation: number }
  | { type: "signal"; pid: number; signal: Deno.Signal }
  | { type: "timer"; timer: "kill" | "restart"; generation: number; ms: number }
  | { type: "annotate"; text: string }
  | { type: "failed"; generation: number; reason: FailureReason; exit: ExitInfo; at: number };

/** Result of a transition. */
export interface Step {
  record: ProcRecord;
  effects: Effect[];
}

/** The exit a failed spawn counts as (what a shell gives for "command not found"). */
const SPAWN_FAILED: ExitInfo = { code: 127, signal: null };

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
    lastFailure: null,
    quickFailures: 0,
  };
}

function start(
  rec: ProcRecord,
  annotation: string | null,
  manual: boolean,
  cause: StartCause,
): Step {
  const generation = rec.generation + 1;
  const record: ProcRecord = {
    ...rec,
    generation,
    phase: { kind: "starting", cause },
    ready: rec.spec.ready ? false : null,
    spawnError: null,
  };
  if (manual) {
    record.restartCount = 0;
    record.crashStreak = 0;
    record.quickFailures = 0;
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
    return start(base, p.after.annotation, false, p.after.cause);
  }
  const uptime = p.kind === "running" ? now - p.startedAt : 0;
  const streak = uptime >= STABLE_UPTIME_MS ? 0 : rec.crashStreak;
  const reason = failureReason(rec, exit);
  const quick = reason !== null && uptime < STABLE_UPTIME_MS;
  base.quickFailures = quick ? rec.quickFailures + 1 : 0;
  const failed: Effect[] = reason === null
    ? []
    : [{ type: "failed", generation: rec.generation, reason, exit, at: now }];
  if (!policyRestarts(rec.spec.autorestart, exit)) {
    return {
      record: { ...base, crashStreak: streak, phase: { kind: "exited", exit, at: now } },
      effects: failed,
    };
  }
  const max = rec.spec.maxRestarts;
  if (max !== null && rec.restartCount >= max) {
    return {
      record: { ...base, crashStreak: streak, phase: { kind: "failed", exit, at: now } },
      effects: [...failed, { type: "annotate", text: `Max restarts (${max}) exhausted` }],
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
      phase: { kind: "restarting", at: now + delay, annotation, delayMs: delay },
    },
    effects: [
      ...failed,
      { type: "timer", timer: "restart", generation: rec.generation, ms: delay },
    ],
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
    case "readyTimeout": {
      if (!same(ev.generation) || !isUp(p) || rec.ready !== false) return none;
      const exit: ExitInfo = { code: null, signal: null };
      const at = now;
      return {
        record: rec,
        effects: [{
          type: "failed",
          generation: rec.generation,
          reason: "ready-timeout",
          exit,
          at,
        }],
      };
    }
    case "failure":
      if (ev.failure.generation > rec.generation) return none;
      return { record: { ...rec, lastFailure: ev.failure }, effects: [] };
    case "failureHint": {
      const f = rec.lastFailure;
      if (!f || f.generation !== ev.generation) return none;
      return { record: { ...rec, lastFailure: { ...f, hint: ev.hint } }, effects: [] };
    }
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
      const cause: StartCause = ev.type === "fileChanged"
        ? "watch"
        : ev.cause ?? (ev.type === "restart" ? "restart" : "run");
      if (ev.type === "fileChanged" && !canRevive(p)) return none;
      if (p.kind === "running") {
        const r = stopRunning(rec, p.pid, p.startedAt, { kind: "restart", annotation, cause });
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
            phase: { ...p, after: { kind: "restart", annotation, cause } },
          },
          effects: [],
        };
      }
      if (p.kind === "starting") return none;
      return start(rec, annotation, true, cause);
    }
    case "killTimer":
      if (!same(ev.generation) || p.kind !== "stopping" || p.killed) return none;
      return {
        record: { ...rec, phase: { ...p, killed: true } },
        effects: [{ type: "signal", pid: p.pid, signal: "SIGKILL" }],
      };
    case "restartTimer":
      if (!same(ev.generation) || p.kind !== "restarting") return none;
      return start(rec, p.annotation, false, "auto-restart");
    case "ready":
      if (!same(ev.generation) || !isUp(p)) return none;
      return { record: { ...rec, ready: true }, effects: [] };
  }
}
