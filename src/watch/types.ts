/**
 * Types shared by the watcher's two sides: the daemon thread (`watcher.ts`) and
 * the one Worker that runs every `Deno.watchFs` (`worker.ts`), plus the message
 * codec between them. This module imports nothing, so the daemon loads it cheaply.
 */

/** What to watch for one process. */
export interface WatchOptions {
  /** Absolute working directory of the process; globs are relative to it. */
  cwd: string;
  /** `watch` globs (relative to `cwd`, or absolute). */
  globs: string[];
  /** `watch_ignore` globs, added to the always-ignored directories. */
  ignore: string[];
  /** Quiet time after the last change of a burst, in ms (default 500). */
  debounceMs?: number;
  /**
   * When the watch was asked for (ms since the epoch; 0 = not told). Files modified since then
   * but before the OS watch was in place are reported as one change once it is, so an edit made
   * while the watcher was starting is not lost.
   */
  sinceMs?: number;
}

/** What the watcher reports to its owner. */
export type WatchEvent =
  /** One burst of changes ended: `path` (relative to cwd) is the first matching path of the burst,
   * `count` how many matching change events the burst held (approximate: the OS may merge or drop
   * some). */
  | { kind: "changed"; path: string; count: number }
  /** A problem (bad glob, missing base directory, OS watch limit); the process keeps running. */
  | { kind: "error"; message: string };

/** Default quiet time after the last change of a burst, in ms. */
export const DEFAULT_DEBOUNCE_MS = 500;

/** Message from the daemon thread to the shared worker: start or stop the watcher `id`. */
export type ToWorker =
  | { kind: "start"; id: number; opts: Required<WatchOptions> }
  | { kind: "stop"; id: number };

/** What one watcher inside the worker reports: an event, or "initial setup finished". */
export type EngineMessage = WatchEvent | { kind: "ready"; dirs: number };

/** Message from the shared worker to the daemon thread, tagged with the watcher's id. */
export interface FromWorker {
  id: number;
  msg: EngineMessage;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}

function parseEngineMessage(m: unknown): EngineMessage | null {
  if (!isRecord(m)) return null;
  switch (m.kind) {
    case "changed":
      return typeof m.path === "string" && typeof m.count === "number"
        ? { kind: "changed", path: m.path, count: m.count }
        : null;
    case "error":
      return typeof m.message === "string" ? { kind: "error", message: m.message } : null;
    case "ready":
      return typeof m.dirs === "number" ? { kind: "ready", dirs: m.dirs } : null;
    default:
      return null;
  }
}

/** Validates a message received from the worker; null when it is not one. */
export function parseFromWorker(data: unknown): FromWorker | null {
  if (!isRecord(data) || typeof data.id !== "number") return null;
  const msg = parseEngineMessage(data.msg);
  return msg === null ? null : { id: data.id, msg };
}

/** Validates a message received by the worker; null when it is not one. */
export function parseToWorker(data: unknown): ToWorker | null {
  if (!isRecord(data) || typeof data.id !== "number") return null;
  if (data.kind === "stop") return { kind: "stop", id: data.id };
  if (data.kind !== "start" || !isRecord(data.opts)) return null;
  const o = data.opts;
  if (
    typeof o.cwd !== "string" || !isStringArray(o.globs) || !isStringArray(o.ignore) ||
    typeof o.debounceMs !== "number" ||
    typeof o.sinceMs !== "number"
  ) return null;
  return {
    kind: "start",
    id: data.id,
    opts: {
      cwd: o.cwd,
      globs: o.globs,
      ignore: o.ignore,
      debounceMs: o.debounceMs,
      sinceMs: o.sinceMs,
    },
  };
}
