/**
 * The daemon's state file: every process record, the id counter and the proxy
 * port, written atomically (temp file + rename, mode 0600) so `status`, `logs`
 * and `restart` work after the daemon has gone, and so a new daemon can find
 * the process groups a crashed one left behind.
 */

import { decodeSpec } from "../protocol.ts";
import { messageOf } from "../errors.ts";
import { type ExitInfo, hasProcessGroup, type Phase, type ProcRecord } from "./lifecycle.ts";

/** What is saved. */
export interface SavedState {
  version: 1;
  savedAt: number;
  daemonPid: number | null;
  nextId: number;
  proxyPort: number | null;
  records: ProcRecord[];
}

/** An empty state. */
export function emptyState(): SavedState {
  return { version: 1, savedAt: 0, daemonPid: null, nextId: 1, proxyPort: null, records: [] };
}

/** Writes the state atomically. */
export function saveState(file: string, state: SavedState): void {
  const tmp = `${file}.${Deno.pid}.tmp`;
  Deno.writeTextFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  Deno.renameSync(tmp, file);
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function numOr<T>(v: unknown, d: T): number | T {
  return typeof v === "number" && Number.isFinite(v) ? v : d;
}

function decodeExit(v: unknown): ExitInfo | null {
  if (!isObj(v)) return null;
  return {
    code: numOr(v.code, null),
    signal: typeof v.signal === "string" ? v.signal : null,
  };
}

const UNKNOWN_EXIT: ExitInfo = { code: null, signal: null };

function decodePhase(v: unknown): Phase {
  if (!isObj(v)) throw new Error("phase");
  const at = numOr(v.at, 0);
  switch (v.kind) {
    case "starting":
      return { kind: "starting" };
    case "running":
      return { kind: "running", pid: numOr(v.pid, 0), startedAt: numOr(v.startedAt, 0) };
    case "stopping":
      return {
        kind: "stopping",
        pid: numOr(v.pid, 0),
        startedAt: numOr(v.startedAt, 0),
        after: { kind: "stopped" },
        killed: v.killed === true,
      };
    case "restarting":
      return {
        kind: "restarting",
        at,
        annotation: typeof v.annotation === "string" ? v.annotation : "",
      };
    case "exited":
      return { kind: "exited", exit: decodeExit(v.exit) ?? UNKNOWN_EXIT, at };
    case "stopped":
      return { kind: "stopped", exit: decodeExit(v.exit), at };
    case "failed":
      return { kind: "failed", exit: decodeExit(v.exit) ?? UNKNOWN_EXIT, at };
    default:
      throw new Error("phase kind");
  }
}

function decodeRecord(v: unknown): ProcRecord {
  if (!isObj(v)) throw new Error("record");
  return {
    spec: decodeSpec(v.spec),
    id: typeof v.id === "string" ? v.id : "",
    generation: numOr(v.generation, 0),
    runGeneration: numOr(v.runGeneration, 1),
    phase: decodePhase(v.phase),
    ready: typeof v.ready === "boolean" ? v.ready : null,
    restartCount: numOr(v.restartCount, 0),
    crashStreak: numOr(v.crashStreak, 0),
    lastExit: decodeExit(v.lastExit),
    spawnError: typeof v.spawnError === "string" ? v.spawnError : null,
  };
}

/** Result of loading: the state, or why it could not be read (missing is not an error). */
export type LoadResult = { ok: true; state: SavedState } | { ok: false; message: string };

/** Loads and validates the state file; a missing file gives an empty state. */
export function loadState(file: string): LoadResult {
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { ok: true, state: emptyState() };
    return { ok: false, message: `cannot read ${file}: ${messageOf(e)}` };
  }
  try {
    const v: unknown = JSON.parse(text);
    if (!isObj(v) || v.version !== 1 || !Array.isArray(v.records)) throw new Error("shape");
    return {
      ok: true,
      state: {
        version: 1,
        savedAt: numOr(v.savedAt, 0),
        daemonPid: numOr(v.daemonPid, null),
        nextId: numOr(v.nextId, 1),
        proxyPort: numOr(v.proxyPort, null),
        records: v.records.map(decodeRecord),
      },
    };
  } catch (e) {
    return { ok: false, message: `state file ${file} is corrupt (${messageOf(e)})` };
  }
}

/** The process group of a record's live incarnation, if it has one. */
export function livePgid(rec: ProcRecord): number | null {
  const p = rec.phase;
  return hasProcessGroup(p) && p.pid > 0 ? p.pid : null;
}
