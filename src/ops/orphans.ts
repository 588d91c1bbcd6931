/**
 * Orphan process groups: groups whose processes carry the agent-procs
 * marker (`AGENT_PROCS_SESSION`, `AGENT_PROCS_NAME` in their environment) of
 * a session whose daemon and state file are both gone, so nothing else knows
 * of them. Only the user's own processes, and only those started under the
 * same `AGENT_PROCS_HOME` (absent for both, or equal) are considered; a live
 * session's processes are never touched. Linux only (the environment comes
 * from `/proc/PID/environ`); elsewhere none are found.
 */

import { sessionPaths } from "../paths.ts";
import { groupAlive, signalGroup } from "../daemon/child.ts";
import { parseStat } from "../ports/resources.ts";
import { parseMarker } from "../ports/marker.ts";
import { pidAlive } from "../ports/leases.ts";

/** One orphan group. */
export interface OrphanGroup {
  pgid: number;
  session: string;
  /** The process name of the marker. */
  name: string;
}

/** The value of `key` in a NUL-separated environment block, or undefined. Pure. */
export function envValue(environ: string, key: string): string | undefined {
  const prefix = `${key}=`;
  return environ.split("\0").find((kv) => kv.startsWith(prefix))?.slice(prefix.length);
}

/** True when the session still has a daemon (pid file of a live process) or a state file. */
function sessionKnown(session: string): boolean {
  const p = sessionPaths(session);
  try {
    Deno.statSync(p.stateFile);
    return true;
  } catch {
    // no state file: maybe a daemon still
  }
  try {
    return pidAlive(Number(Deno.readTextFileSync(p.pidFile).trim()));
  } catch {
    return false;
  }
}

/** Finds orphan groups of this user's sessions under the current `AGENT_PROCS_HOME`. */
export function findOrphans(
  home: string | undefined = Deno.env.get("AGENT_PROCS_HOME"),
): OrphanGroup[] {
  if (Deno.build.os !== "linux") return [];
  const uid = Deno.uid();
  const own = parseStat(Deno.readTextFileSync("/proc/self/stat"))?.pgid;
  const groups = new Map<number, OrphanGroup>();
  const known = new Map<string, boolean>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      if (uid !== null && Deno.statSync(`/proc/${e.name}`).uid !== uid) continue;
      const environ = Deno.readTextFileSync(`/proc/${e.name}/environ`);
      const marker = parseMarker(environ);
      if (!marker || envValue(environ, "AGENT_PROCS_HOME") !== home) continue;
      const st = parseStat(Deno.readTextFileSync(`/proc/${e.name}/stat`));
      if (!st || st.state === "Z" || st.pgid === own || groups.has(st.pgid)) continue;
      if (!known.has(marker.session)) known.set(marker.session, sessionKnown(marker.session));
      if (known.get(marker.session)) continue;
      groups.set(st.pgid, { pgid: st.pgid, ...marker });
    } catch {
      continue; // exited while we looked, or not readable
    }
  }
  return [...groups.values()].sort((a, b) => a.pgid - b.pgid);
}

/** Stops each group: SIGTERM, then SIGKILL for what is left after `graceMs`. */
export async function stopGroups(groups: OrphanGroup[], graceMs = 2000): Promise<void> {
  for (const g of groups) signalGroup(g.pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  let pause = 5;
  while (groups.some((g) => groupAlive(g.pgid)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 100);
  }
  for (const g of groups) if (groupAlive(g.pgid)) signalGroup(g.pgid, "SIGKILL");
}
