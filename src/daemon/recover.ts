/**
 * Recovery after a daemon died hard (SIGKILL, OOM): the state file still
 * lists process groups as live. Whoever finds that (the next daemon, or any
 * CLI command that finds no daemon) stops those groups so no orphan keeps a
 * port, and marks the records. Only the daemon restarts them afterwards.
 */

import { groupAlive, signalGroup } from "./child.ts";
import { isLive, policyRestarts, type ProcRecord } from "./lifecycle.ts";
import { livePgid, type SavedState } from "./state_file.ts";
import type { Supervisor } from "./supervisor.ts";

/** Result of reaping: the new state and the names whose groups were found live or pending. */
export interface Reaped {
  state: SavedState;
  /** Names that were live when the daemon died (candidates for a policy restart). */
  lost: string[];
}

/** Waits until the group is gone or `ms` passed; returns whether it is gone. */
async function waitGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  let pause = 5;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return true;
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 100);
  }
  return !groupAlive(pgid);
}

/** True when the state claims live processes although no daemon owns them. */
export function needsReap(state: SavedState): boolean {
  return state.records.some((r) => isLive(r.phase));
}

/** Stops every recorded live group (SIGTERM, then SIGKILL after `graceMs`) and marks the records. */
export async function reapOrphans(state: SavedState, graceMs = 2000): Promise<Reaped> {
  const lost: string[] = [];
  const now = Date.now();
  const records: ProcRecord[] = await Promise.all(state.records.map(async (r) => {
    if (!isLive(r.phase)) return r;
    lost.push(r.spec.name);
    const pgid = livePgid(r);
    let signal: string | null = null;
    if (pgid !== null && groupAlive(pgid)) {
      signalGroup(pgid, "SIGTERM");
      signal = "SIGTERM";
      if (!(await waitGone(pgid, graceMs))) {
        signalGroup(pgid, "SIGKILL");
        signal = "SIGKILL";
        await waitGone(pgid, 1000);
      }
    }
    const exit = { code: null, signal: signal ?? r.lastExit?.signal ?? null };
    return { ...r, lastExit: exit, phase: { kind: "exited" as const, exit, at: now } };
  }));
  return { state: { ...state, records, daemonPid: null }, lost };
}

/**
 * In the new daemon: notes in each lost process's log that its group was
 * stopped, and restarts those whose policy restarts after a kill.
 */
export function reviveLost(sup: Supervisor, lost: string[]): void {
  for (const name of lost) sup.annotate(name, "Daemon died; process group stopped");
  for (const name of lost) {
    const r = sup.get(name);
    if (r && policyRestarts(r.spec.autorestart, { code: null, signal: "SIGKILL" })) {
      sup.dispatch(name, { type: "restart", annotation: "Restarted (after daemon crash)" });
    }
  }
}
