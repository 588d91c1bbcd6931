/**
 * Reading a session without its daemon: the saved state (after stopping the
 * process groups a crashed daemon left behind) and status rows computed from it.
 */

import type { ProcessInfo } from "../model.ts";
import { CliError, messageOf } from "../errors.ts";
import type { SessionPaths } from "../paths.ts";
import { emptyState, loadState, type SavedState, saveState } from "../daemon/state_file.ts";
import { needsReap, reapOrphans } from "../daemon/recover.ts";
import { toInfo } from "../daemon/info.ts";
import { tryConnect } from "../client/connect.ts";

/** Loads the saved state of a session whose daemon is not running, reaping orphans first. */
export async function savedState(paths: SessionPaths): Promise<SavedState> {
  const loaded = loadState(paths.stateFile);
  if (!loaded.ok) {
    throw new CliError(loaded.message, {
      hint: "remove it with: agent-procs session clean --purge",
    });
  }
  if (!needsReap(loaded.state)) return loaded.state;
  // A daemon died hard: take the start lock so no daemon starts while we clean up.
  let lock: Deno.FsFile;
  try {
    lock = await Deno.open(paths.startLock, { create: true, write: true, mode: 0o600 });
    await lock.lock(true);
  } catch (e) {
    // Reaping unlocked could race a daemon that is starting: refuse instead.
    throw new CliError(`cannot lock session ${paths.session}: ${messageOf(e)}`);
  }
  try {
    const conn = await tryConnect(paths.socket);
    if (conn) {
      conn.close();
      const again = loadState(paths.stateFile);
      return again.ok ? again.state : emptyState();
    }
    const fresh = loadState(paths.stateFile);
    if (!fresh.ok || !needsReap(fresh.state)) return fresh.ok ? fresh.state : loaded.state;
    const reaped = await reapOrphans(fresh.state);
    try {
      saveState(paths.stateFile, reaped.state);
    } catch {
      // read-only state dir: still report what we saw
    }
    return reaped.state;
  } finally {
    lock.close();
  }
}

/** Status rows from saved state. */
export function savedInfos(state: SavedState): ProcessInfo[] {
  const now = Date.now();
  return state.records.map((r) => toInfo(r, state.proxyPort, now));
}
