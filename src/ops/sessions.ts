/**
 * `session list` and `session clean`: every session found under the runtime
 * and state roots, whether its daemon answers, process counts and proxy URL;
 * clean stops orphan groups of dead sessions (from their state file, or by
 * the marker in their environment when that is gone too) and removes their
 * runtime files.
 */

import { baseDirs, nameError, type SessionPaths, sessionPaths } from "../paths.ts";
import type { ProcessInfo } from "../model.ts";
import { request, tryConnect } from "../client/connect.ts";
import { savedInfos, savedState } from "./saved_state.ts";
import { findOrphans, type OrphanGroup, stopGroups } from "./orphans.ts";

/** One session as `session list` shows it. */
export interface SessionRow {
  session: string;
  daemon: boolean;
  running: number;
  total: number;
  /** The proxy's base URL (`http://localhost:PORT`), or null. */
  proxy: string | null;
}

/** Result of `session clean`. */
export interface CleanResult {
  cleaned: string[];
  purged: boolean;
  /** Marked groups of sessions whose daemon and state file were gone, now stopped. */
  orphans: OrphanGroup[];
}

function ignoreMissing(e: unknown): void {
  if (!(e instanceof Deno.errors.NotFound)) throw e;
}

function sessionNames(): string[] {
  const base = baseDirs();
  const names = new Set<string>();
  try {
    for (const e of Deno.readDirSync(`${base.stateRoot}/sessions`)) {
      if (e.isDirectory && !nameError("session", e.name)) names.add(e.name);
    }
  } catch (e) {
    ignoreMissing(e); // no state yet
  }
  try {
    for (const e of Deno.readDirSync(base.runtimeRoot)) {
      const m = e.name.match(/^(.+)\.(sock|pid|lock)$/);
      if (m && !nameError("session", m[1])) names.add(m[1]);
    }
  } catch (e) {
    ignoreMissing(e); // no runtime dir yet
  }
  return [...names].sort();
}

async function describe(paths: SessionPaths): Promise<SessionRow> {
  const conn = await tryConnect(paths.socket);
  let procs: ProcessInfo[];
  let proxyPort: number | null;
  if (conn) {
    conn.close();
    procs = await request(paths, { type: "status" }, { autostart: false, timeoutMs: 5000 });
    proxyPort = proxyPortOf(procs);
  } else {
    const state = await savedState(paths);
    procs = savedInfos(state);
    proxyPort = state.proxyPort;
  }
  return {
    session: paths.session,
    daemon: conn !== null,
    running: procs.filter((p) => p.state === "running").length,
    total: procs.length,
    proxy: proxyPort === null ? null : `http://localhost:${proxyPort}`,
  };
}

/** The proxy port a session's rows reveal (from any process URL), or null. */
function proxyPortOf(procs: ProcessInfo[]): number | null {
  for (const p of procs) {
    if (p.url) return Number(new URL(p.url).port) || null;
  }
  return null;
}

/** Every session under the user's roots. */
export async function listSessions(): Promise<SessionRow[]> {
  const rows: SessionRow[] = [];
  for (const name of sessionNames()) rows.push(await describe(sessionPaths(name)));
  return rows;
}

function removeIfThere(path: string, recursive = false): void {
  try {
    Deno.removeSync(path, { recursive });
  } catch (e) {
    ignoreMissing(e);
  }
}

/**
 * Cleans every session whose daemon is gone: its orphan process groups are
 * stopped (reading its state does that) and its runtime files removed; with
 * `purge`, its logs and state too.
 */
export async function cleanSessions(input: { purge?: boolean }): Promise<CleanResult> {
  const purge = input.purge === true;
  const rows = await listSessions();
  const cleaned = rows.filter((r) => !r.daemon).map((r) => r.session);
  for (const s of cleaned) {
    const paths = sessionPaths(s);
    for (const f of [paths.socket, paths.pidFile, paths.startLock]) removeIfThere(f);
    if (purge) removeIfThere(paths.stateDir, true);
  }
  // After the purge: a purged session's leftovers are orphans now too.
  const orphans = findOrphans();
  await stopGroups(orphans);
  return { cleaned, purged: purge, orphans };
}
