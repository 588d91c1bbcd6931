/**
 * Turns a process record into the `ProcessInfo` row that `status` prints
 * (the daemon adds the problems it knows of; the CLI without a daemon has none).
 */

import type { LastFailure, ProcessInfo } from "../model.ts";
import type { AwaitingInput } from "./prompts.ts";
import { hasProcessGroup, isCrashLooping, type ProcRecord, stateName } from "./lifecycle.ts";

/** The URL of a process through the session's proxy, or null. */
export function processUrl(rec: ProcRecord, proxyPort: number | null): string | null {
  if (!rec.spec.proxy || proxyPort === null || rec.spec.port === null) return null;
  return `http://${rec.spec.name}.localhost:${proxyPort}`;
}

/** Problems of a process that live outside its record (the supervisor knows them). */
export interface ProcessProblems {
  /** The file watcher's problem, or null. */
  watchError?: string | null;
  /** Why capturing its output fails, or null. */
  logError?: string | null;
  /** The prompt it waits at, or null. */
  awaitingInput?: AwaitingInput | null;
}

/** Builds the status row of a record at time `now`. */
export function toInfo(
  rec: ProcRecord,
  proxyPort: number | null,
  now: number,
  problems: ProcessProblems = {},
): ProcessInfo {
  const p = rec.phase;
  const group = hasProcessGroup(p) ? p : null;
  const exit = p.kind === "exited" || p.kind === "failed" || p.kind === "stopped"
    ? p.exit
    : p.kind === "restarting"
    ? rec.lastExit
    : null;
  return {
    name: rec.spec.name,
    id: rec.id,
    generation: rec.generation,
    pid: group ? group.pid : null,
    state: stateName(p),
    ready: rec.ready,
    exit_code: exit?.code ?? null,
    signal: exit?.signal ?? null,
    uptime_secs: group ? Math.max(0, Math.floor((now - group.startedAt) / 1000)) : null,
    started_at: group ? new Date(group.startedAt).toISOString() : null,
    command: rec.spec.cmd,
    cwd: rec.spec.cwd,
    port: rec.spec.port,
    url: processUrl(rec, proxyPort),
    restart_count: rec.restartCount,
    max_restarts: rec.spec.maxRestarts,
    restart_policy: rec.spec.autorestart,
    watched: rec.spec.watch.length > 0,
    run_generation: rec.runGeneration,
    next_restart_at: p.kind === "restarting" ? new Date(p.at).toISOString() : null,
    watch_error: problems.watchError ?? null,
    log_error: problems.logError ?? null,
    last_failure: lastFailure(rec),
    crash_loop: isCrashLooping(rec, now),
    listening: [],
    cpu_percent: null,
    rss_bytes: null,
    stdin: rec.spec.stdin,
    awaiting_input: awaiting(rec, problems.awaitingInput ?? null),
  };
}

function awaiting(rec: ProcRecord, a: AwaitingInput | null): ProcessInfo["awaiting_input"] {
  if (!a || a.generation !== rec.generation || rec.phase.kind !== "running") return null;
  return { prompt: a.prompt, since: new Date(a.since).toISOString() };
}

function lastFailure(rec: ProcRecord): LastFailure | null {
  const f = rec.lastFailure;
  if (!f) return null;
  return {
    reason: f.reason,
    exit_code: f.exitCode,
    signal: f.signal,
    at: new Date(f.at).toISOString(),
    excerpt: f.excerpt.join("\n"),
    headline: f.headline,
    hint: f.hint,
  };
}
