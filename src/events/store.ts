/**
 * The session's event file: an append-only NDJSON file in its state dir,
 * bounded to the newest `MAX_EVENTS` (once it holds half as many again, it is
 * rewritten atomically with the newest ones). The daemon appends; anyone
 * reads, with no daemon needed.
 */

import type { SessionPaths } from "../paths.ts";
import { decodeEvent, eventJson, type ProcEvent } from "./types.ts";

/** Events kept. */
export const MAX_EVENTS = 10_000;

/** The path of a session's event file. */
export function eventsPath(paths: SessionPaths): string {
  return `${paths.stateDir}/events.ndjson`;
}

const encoder = new TextEncoder();

function readLines(path: string): string[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return text.split("\n").filter((l) => l !== "");
}

/**
 * Appends events to a session's file (daemon side), through one open file
 * (an open and a close per event cost an `up` of 300 processes ~600 of each).
 * Write failures throw to the caller.
 */
export class EventLog {
  #count: number;
  #file: Deno.FsFile | null = null;
  constructor(readonly path: string, readonly max = MAX_EVENTS) {
    this.#count = readLines(path).length;
    // A daemon killed mid-write leaves a torn last line: end it, so the next event stands alone.
    if (this.#count > 0 && !Deno.readTextFileSync(path).endsWith("\n")) {
      Deno.writeTextFileSync(path, "\n", { append: true });
    }
  }

  /** Appends one event, trimming the file when it has grown past half again its bound. */
  append(e: ProcEvent): void {
    this.#file ??= Deno.openSync(this.path, { append: true, create: true, mode: 0o600 });
    const bytes = encoder.encode(eventJson(e) + "\n");
    try {
      for (let off = 0; off < bytes.length;) off += this.#file.writeSync(bytes.subarray(off));
    } catch (err) {
      this.close(); // the next event opens the file again
      throw err;
    }
    if (++this.#count >= this.max + this.max / 2) this.#trim();
  }

  /** Closes the open file (the daemon exits; an `append` after this opens it again). */
  close(): void {
    const f = this.#file;
    this.#file = null;
    try {
      f?.close();
    } catch {
      // already closed
    }
  }

  #trim(): void {
    this.close(); // the file is replaced: the next event opens the new one
    const keep = readLines(this.path).slice(-this.max);
    const tmp = `${this.path}.tmp`;
    Deno.writeTextFileSync(tmp, keep.join("\n") + "\n", { mode: 0o600 });
    Deno.renameSync(tmp, this.path);
    this.#count = keep.length;
  }
}

/** What to read. */
export interface EventQuery {
  /** Only these process names (all when empty). */
  names?: string[];
  /** Only events at or after this time (ms since the epoch). */
  sinceMs?: number;
}

/** Reads a session's events, oldest first; a missing file reads as none. */
export function readEvents(path: string, q: EventQuery = {}): ProcEvent[] {
  const out: ProcEvent[] = [];
  for (const line of readLines(path)) {
    const e = decodeEvent(line);
    if (!e) continue;
    if (q.names?.length && !q.names.includes(e.name)) continue;
    if (q.sinceMs !== undefined && Date.parse(e.time) < q.sinceMs) continue;
    out.push(e);
  }
  return out;
}
