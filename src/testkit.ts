/** Test fixtures shared by unit tests: a complete, valid status row. */

import type { ProcessInfo } from "./model.ts";

/** A running process's status row, with `overrides` applied (extra keys allowed). */
export function sampleRow(overrides: Record<string, unknown> = {}): ProcessInfo {
  return {
    name: "web",
    id: "p1",
    generation: 1,
    pid: 42,
    state: "running",
    ready: null,
    exit_code: null,
    signal: null,
    uptime_secs: 3,
    started_at: "2026-01-01T00:00:00.000Z",
    command: "npm run dev",
    cwd: "/app",
    port: 3000,
    url: null,
    restart_count: 0,
    max_restarts: null,
    restart_policy: "never",
    watched: false,
    run_generation: 1,
    next_restart_at: null,
    watch_error: null,
    log_error: null,
    last_failure: null,
    crash_loop: false,
    stdin: "null",
    awaiting_input: null,
    ...overrides,
  } as ProcessInfo;
}
