/**
 * The marker agent-procs puts in every child's environment
 * (`AGENT_PROCS_SESSION`, `AGENT_PROCS_NAME`), read back from a running
 * process: on Linux from `/proc/PID/environ` (readable for the user's own
 * processes); elsewhere there is no cheap way, so null.
 */

/** The session and process name a process was started under. */
export interface Marker {
  session: string;
  name: string;
}

/** Finds the marker in a NUL-separated environment block. Pure. */
export function parseMarker(environ: string): Marker | null {
  let session: string | null = null;
  let name: string | null = null;
  for (const kv of environ.split("\0")) {
    if (kv.startsWith("AGENT_PROCS_SESSION=")) session = kv.slice(20);
    else if (kv.startsWith("AGENT_PROCS_NAME=")) name = kv.slice(17);
  }
  return session !== null && name !== null ? { session, name } : null;
}

/** The marker of a running process, or null (none, gone, not ours, or not Linux). */
export function markerOf(pid: number): Marker | null {
  if (Deno.build.os !== "linux") return null;
  try {
    return parseMarker(Deno.readTextFileSync(`/proc/${pid}/environ`));
  } catch {
    return null; // gone, or another user's
  }
}

/** `process NAME of session S` for a process that carries the marker, else null. */
export function markerOwner(pid: number): string | null {
  const m = markerOf(pid);
  return m ? `process ${m.name} of session ${m.session}` : null;
}
