/** Turns a process record into the `ProcessInfo` row that `status` prints. */

import type { ProcessInfo } from "../model.ts";
import { type ProcRecord, stateName } from "./lifecycle.ts";

/** The URL of a process through the session's proxy, or null. */
export function processUrl(rec: ProcRecord, proxyPort: number | null): string | null {
  if (!rec.spec.proxy || proxyPort === null || rec.spec.port === null) return null;
  return `http://${rec.spec.name}.localhost:${proxyPort}`;
}

/** Builds the status row of a record at time `now`. */
export function toInfo(
  rec: ProcRecord,
  proxyPort: number | null,
  now: number,
  watchError: string | null = null,
): ProcessInfo {
  const p = rec.phase;
  const live = p.kind === "running" || p.kind === "stopping";
  const exit = p.kind === "exited" || p.kind === "failed"
    ? p.exit
    : p.kind === "stopped"
    ? p.exit
    : p.kind === "restarting"
    ? rec.lastExit
    : null;
  return {
    name: rec.spec.name,
    id: rec.id,
    generation: rec.generation,
    pid: live ? p.pid : null,
    state: stateName(p),
    ready: rec.ready,
    exit_code: exit?.code ?? null,
    signal: exit?.signal ?? null,
    uptime_secs: live ? Math.max(0, Math.floor((now - p.startedAt) / 1000)) : null,
    started_at: live ? new Date(p.startedAt).toISOString() : null,
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
    watch_error: watchError,
    log_error: null,
  };
}
