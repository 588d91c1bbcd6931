/**
 * The named questions about a process's phase (`isLive`, `isUp`, `canRevive`,
 * `isCrashLooping`, ...) and the restart arithmetic, which everything asks
 * instead of testing phase kinds itself. Pure; the transition function in
 * `lifecycle.ts` uses them too.
 */

import type { ProcessSpec, StateName } from "../model.ts";
import type { ExitInfo, FailureReason, Phase, ProcRecord } from "./lifecycle.ts";

/** Restart delays double per consecutive crash up to this cap (ms). */
export const MAX_RESTART_DELAY_MS = 30_000;
/** Uptime after which the crash streak (and so the delay) resets (ms). */
export const STABLE_UPTIME_MS = 10_000;

/** Failures in a row, each within `STABLE_UPTIME_MS` of starting, that make a crash loop. */
export const CRASH_LOOP_FAILURES = 3;

/**
 * Is it crash-looping? Its last 3 incarnations each failed less than 10 s
 * after starting, it is still being restarted, and the current one (if any)
 * has not yet stayed up 10 s.
 */
export function isCrashLooping(rec: ProcRecord, now: number): boolean {
  if (rec.quickFailures < CRASH_LOOP_FAILURES || !isLive(rec.phase)) return false;
  const p = rec.phase;
  return !(hasProcessGroup(p) && now - p.startedAt >= STABLE_UPTIME_MS);
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

/** Why an exit that nobody asked for is a failure, or null when it is not one. */
export function failureReason(rec: ProcRecord, exit: ExitInfo): FailureReason | null {
  if (rec.spawnError !== null) return "spawn-failed";
  if (rec.spec.ready !== null && rec.ready === false) return "ready-exit";
  if (exit.signal !== null) return "signal";
  return exit.code === 0 ? null : "exited";
}
