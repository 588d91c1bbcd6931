/**
 * The in-memory window of one process's output: at most `MAX_LINES` lines in
 * seq order. While `live`, the window ends at the newest line and new output
 * is appended (dropping the oldest). Scrolling above the window loads older
 * lines from disk through the backend; a window that had to drop its newest
 * lines to make room is detached (`live` false) and reloads forward from disk.
 * All functions are pure: they return a new window.
 */

import type { UiLine } from "./backend.ts";
import { sanitize } from "./ansi.ts";

/** Most lines kept in memory per process. */
export const MAX_LINES = 5000;
/** Lines requested from disk per history load. */
export const CHUNK = 1000;

/** Which way a history load goes. */
export type LoadKind = "newest" | "older" | "newer";

/** The output window of one process. */
export interface OutputBuffer {
  /** Sanitized lines, ascending seq, at most MAX_LINES. */
  lines: UiLine[];
  /** True when the window ends at the newest line and live output is appended. */
  live: boolean;
  /** Whether lines older than the window may exist on disk. */
  hasOlder: boolean;
  /** Highest seq seen in live output (or loaded), -1 when none. */
  newestSeq: number;
  /** True once the newest lines were loaded from disk (initial history). */
  loaded: boolean;
  /** The history load in flight, if any. */
  loading: LoadKind | null;
  /** Live lines that arrived while a detached window reloads its newest lines. */
  tail: UiLine[];
}

/** An empty window, live, waiting for its initial history load. */
export function emptyBuffer(): OutputBuffer {
  return {
    lines: [],
    live: true,
    hasOlder: true,
    newestSeq: -1,
    loaded: false,
    loading: null,
    tail: [],
  };
}

function clean(lines: UiLine[]): UiLine[] {
  return lines.map((l) => ({ ...l, text: sanitize(l.text) }));
}

function lastSeq(lines: UiLine[]): number {
  return lines.length ? lines[lines.length - 1].seq : -1;
}

/**
 * Adds live output. A live window appends (up to `room` lines when the caller
 * must not lose an anchor: beyond it the window detaches instead of dropping
 * old lines); a detached one only records that newer lines exist.
 */
export function appendLive(buf: OutputBuffer, incoming: UiLine[], room = Infinity): OutputBuffer {
  if (!incoming.length) return buf;
  const newestSeq = Math.max(buf.newestSeq, lastSeq(incoming));
  if (!buf.live) {
    if (buf.loading !== "newest") return { ...buf, newestSeq };
    return { ...buf, newestSeq, tail: buf.tail.concat(incoming).slice(-MAX_LINES) };
  }
  const last = lastSeq(buf.lines);
  const fresh = incoming.filter((l) => l.seq > last);
  if (!fresh.length) return { ...buf, newestSeq };
  if (fresh.length > room) return { ...buf, newestSeq, live: false };
  const kept = clean(fresh.length > MAX_LINES ? fresh.slice(-MAX_LINES) : fresh);
  let lines = buf.lines.concat(kept);
  let hasOlder = buf.hasOlder;
  if (lines.length > MAX_LINES || fresh.length > kept.length) {
    lines = lines.slice(-MAX_LINES);
    hasOlder = true;
  }
  return { ...buf, lines, hasOlder, newestSeq };
}

/** How many more lines a live window can take before it must drop its oldest. */
export function spareRoom(buf: OutputBuffer): number {
  return MAX_LINES - buf.lines.length;
}

/** Marks a history load as started. */
export function startLoad(buf: OutputBuffer, kind: LoadKind): OutputBuffer {
  return { ...buf, loading: kind };
}

/** Marks a history load as failed (the window stays as it was). */
export function failLoad(buf: OutputBuffer): OutputBuffer {
  return { ...buf, loading: null, tail: [] };
}

/**
 * Merges the answer of a history load of `limit` lines. Returns the new
 * window, and for a forward load that found nothing new although newer lines
 * exist, `fallback` true: the caller should load the newest instead.
 */
export function applyHistory(
  buf: OutputBuffer,
  kind: LoadKind,
  loaded: UiLine[],
  limit: number,
): { buf: OutputBuffer; fallback: boolean } {
  const got = clean(loaded);
  const base = { ...buf, loading: null, tail: [] };
  if (kind === "newest") {
    const top = lastSeq(got);
    const newer = (buf.live ? buf.lines : clean(buf.tail)).filter((l) => l.seq > top);
    let lines = got.concat(newer);
    let hasOlder = got.length >= limit;
    if (lines.length > MAX_LINES) {
      lines = lines.slice(-MAX_LINES);
      hasOlder = true;
    }
    const newestSeq = Math.max(buf.newestSeq, lastSeq(lines));
    return {
      buf: { ...base, lines, hasOlder, live: true, loaded: true, newestSeq },
      fallback: false,
    };
  }
  if (kind === "older") {
    const first = buf.lines.length ? buf.lines[0].seq : Infinity;
    const older = got.filter((l) => l.seq < first);
    let lines = older.concat(buf.lines);
    let live = buf.live;
    if (lines.length > MAX_LINES) {
      lines = lines.slice(0, MAX_LINES);
      live = false;
    }
    return {
      buf: { ...base, lines, live, hasOlder: got.length >= limit && older.length > 0 },
      fallback: false,
    };
  }
  const last = lastSeq(buf.lines);
  const newer = got.filter((l) => l.seq > last);
  if (!newer.length) return { buf: base, fallback: buf.newestSeq > last };
  let lines = buf.lines.concat(newer);
  let hasOlder = buf.hasOlder;
  if (lines.length > MAX_LINES) {
    lines = lines.slice(-MAX_LINES);
    hasOlder = true;
  }
  const live = lastSeq(lines) >= buf.newestSeq;
  return { buf: { ...base, lines, hasOlder, live }, fallback: false };
}

/** The `beforeSeq` for a forward load of `limit` lines after the window (seqs are contiguous per process). */
export function newerBefore(buf: OutputBuffer, limit: number): number {
  return lastSeq(buf.lines) + 1 + limit;
}
