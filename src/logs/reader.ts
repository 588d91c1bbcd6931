/**
 * Log queries for the CLI and the daemon: tail, grep (with context), since,
 * generation and sequence filters over a log directory, reading only the
 * index pages and data ranges a query needs.
 *
 * `queryLogs` returns entries (lines, context lines, group separators);
 * `readLogs` returns plain lines for callers that need no context.
 */

import { FLAG_ANNOTATION, STREAM_NAMES, STREAM_NOS, type StreamName } from "./index_format.ts";
import { grepStream, type GrepTarget } from "./grep.ts";
import { type LineRef, LogView, type StreamMask } from "./log_view.ts";
import { compilePattern } from "./pattern.ts";
import { listSegments } from "./segments.ts";
import type { LogLine } from "./live_lines.ts";

/** What to read from a log. Every filter is optional and they combine (AND). */
export interface LogQuery {
  /** Streams to include (stdout, stderr, browser; any non-empty set). */
  streams: StreamName[];
  /** Only the last N lines (the last N matches when `grep` is set). */
  tail?: number;
  /** Only lines whose text matches. */
  grep?: { pattern: string; regex: boolean; ignoreCase?: boolean };
  /** Lines of context around each match (needs `grep`); groups are separated. */
  context?: number;
  /** Only lines with a timestamp >= this (ms since the epoch). */
  sinceMs?: number;
  /** Only lines of this generation or later. */
  minGeneration?: number;
  /** Only lines with a sequence number > this. */
  afterSeq?: number;
}

/** One item of a query result: a line (a match, or context around one) or a `--` separator. */
export type LogEntry =
  | { kind: "line"; line: LogLine; context: boolean }
  | { kind: "separator" };

/** A query that cannot run (a bad `grep` pattern). */
export class LogQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LogQueryError";
  }
}

const BATCH = 8192;

/** Whether `dir` holds a log (at least one segment). */
export function logExists(dir: string): boolean {
  return listSegments(dir).length > 0;
}

/** Runs a query and returns the lines only (context lines and separators are left out). */
export function readLogs(dir: string, q: LogQuery): LogLine[] {
  const out: LogLine[] = [];
  for (const e of queryLogs(dir, { ...q, context: undefined })) {
    if (e.kind === "line") out.push(e.line);
  }
  return out;
}

/**
 * Runs a query. A missing directory gives no lines. Throws LogQueryError
 * for a bad pattern (validate with `compilePattern` first for a nice message).
 */
export function queryLogs(dir: string, q: LogQuery): LogEntry[] {
  const mask: StreamMask = STREAM_NAMES.reduce(
    (m, name, s) => q.streams.includes(name) ? m | (1 << s) : m,
    0,
  );
  if (mask === 0 || q.tail === 0) return [];
  const view = LogView.open(dir);
  try {
    return run(view, mask, q);
  } finally {
    view.close();
  }
}

function run(view: LogView, mask: StreamMask, q: LogQuery): LogEntry[] {
  const hi = view.endSeq;
  let lo = view.startSeq;
  if (q.afterSeq !== undefined) lo = Math.max(lo, Math.floor(q.afterSeq) + 1);
  const since = q.sinceMs;
  if (since !== undefined) lo = Math.max(lo, view.firstSeqWhere((ix, b) => ix.ts(b) >= since));
  const minGen = q.minGeneration;
  if (minGen !== undefined) {
    lo = Math.max(
      lo,
      view.firstSeqWhere((ix, b) => ix.generation(b) >= minGen),
    );
  }
  if (lo >= hi) return [];
  const accept = (r: LineRef) =>
    ((mask >> r.stream) & 1) === 1 && (minGen === undefined || r.generation >= minGen) &&
    (since === undefined || r.ts >= since);
  const tail = q.tail === undefined ? null : Math.max(0, Math.floor(q.tail));
  if (!q.grep) {
    const refs = tail === null
      ? collectForward(view, lo, hi, mask, accept)
      : collectBackward(view, lo, hi, mask, accept, tail);
    return toEntries(view, refs);
  }
  const compiled = compilePattern(q.grep.pattern, q.grep);
  if (!compiled.ok) throw new LogQueryError(compiled.error);
  const matches = grepAll(view, lo, hi, mask, { matcher: compiled.matcher, accept }, tail);
  const ctx = Math.max(0, Math.floor(q.context ?? 0));
  if (ctx === 0) return toEntries(view, matches);
  return withContext(view, matches, mask, lo, hi, ctx);
}

/** The wanted lines of [lo, hi) in order, block by block. */
function collectForward(
  view: LogView,
  lo: number,
  hi: number,
  mask: StreamMask,
  accept: (r: LineRef) => boolean,
): LineRef[] {
  const refs: LineRef[] = [];
  for (let p = view.nextWanted(lo, mask, hi); p >= 0;) {
    const at = view.locate(p)!;
    const ix = view.segments[at.seg].index;
    const first = ix.baseSeq + ix.first(at.block);
    const stop = Math.min(hi, first + ix.size(at.block));
    const head = view.ref(at.seg, at.block, at.line);
    if (accept(head)) {
      for (let seq = p; seq < stop; seq++) refs.push({ ...head, seq, line: seq - first });
    }
    p = view.nextWanted(stop, mask, hi);
  }
  return refs;
}

/** The last `tail` wanted lines of [lo, hi), walking blocks backwards. */
function collectBackward(
  view: LogView,
  lo: number,
  hi: number,
  mask: StreamMask,
  accept: (r: LineRef) => boolean,
  tail: number,
): LineRef[] {
  const refs: LineRef[] = [];
  for (let p = view.prevWanted(hi - 1, mask, lo); p >= 0 && refs.length < tail;) {
    const at = view.locate(p)!;
    const ix = view.segments[at.seg].index;
    const first = ix.baseSeq + ix.first(at.block);
    const start = Math.max(lo, first);
    const head = view.ref(at.seg, at.block, at.line);
    if (accept(head)) {
      for (let seq = p; seq >= start && refs.length < tail; seq--) {
        refs.push({ ...head, seq, line: seq - first });
      }
    }
    p = start - 1 >= lo ? view.prevWanted(start - 1, mask, lo) : -1;
  }
  return refs.reverse();
}

function grepAll(
  view: LogView,
  lo: number,
  hi: number,
  mask: StreamMask,
  how: Pick<GrepTarget, "matcher" | "accept">,
  tail: number | null,
): LineRef[] {
  let result: LineRef[] = [];
  const order = view.segments.map((_, k) => k);
  if (tail !== null) order.reverse();
  for (const seg of order) {
    const ix = view.segments[seg].index;
    if (Math.max(lo, ix.baseSeq) >= Math.min(hi, ix.baseSeq + ix.lines)) continue;
    const found: LineRef[] = [];
    for (const stream of STREAM_NOS) {
      if (((mask >> stream) & 1) === 0) continue;
      found.push(...grepStream({ view, seg, stream, seqLo: lo, seqHi: hi, ...how }, tail));
    }
    found.sort((a, b) => a.seq - b.seq);
    result = tail === null ? result.concat(found) : found.concat(result);
    if (tail !== null && result.length >= tail) break;
  }
  return tail !== null && result.length > tail ? result.slice(result.length - tail) : result;
}

/** Adds up to `ctx` lines of the wanted streams before and after each match, separating groups. */
function withContext(
  view: LogView,
  matches: LineRef[],
  mask: StreamMask,
  lo: number,
  hi: number,
  ctx: number,
): LogEntry[] {
  const isMatch = new Set(matches.map((m) => m.seq));
  const plan: (number | "sep")[] = [];
  let last = -1;
  for (const m of matches) {
    if (m.seq <= last) continue;
    const before: number[] = [];
    for (let p = m.seq - 1; before.length < ctx; p--) {
      p = view.prevWanted(p, mask, Math.max(lo, last + 1));
      if (p < 0) break;
      before.unshift(p);
    }
    const first = before.length ? before[0] : m.seq;
    if (last >= 0 && view.prevWanted(first - 1, mask, lo) !== last) plan.push("sep");
    plan.push(...before, m.seq);
    last = m.seq;
    for (let p = m.seq + 1, n = 0; n < ctx; p++, n++) {
      p = view.nextWanted(p, mask, hi);
      if (p < 0 || isMatch.has(p)) break;
      plan.push(p);
      last = p;
    }
  }
  const bySeq = new Map(matches.map((m) => [m.seq, m]));
  const refs = plan.filter((p): p is number => p !== "sep").map((p) =>
    bySeq.get(p) ?? view.refAt(p)
  );
  const lines = new Map<number, LogLine>();
  for (let i = 0; i < refs.length; i += BATCH) {
    for (const l of view.readLines(refs.slice(i, i + BATCH))) lines.set(l.seq, l);
  }
  return plan.map((p): LogEntry => {
    if (p === "sep") return { kind: "separator" };
    const line = lines.get(p) ?? emptyLine(view.refAt(p));
    return { kind: "line", line, context: !isMatch.has(p) };
  });
}

function toEntries(view: LogView, refs: LineRef[]): LogEntry[] {
  const out: LogEntry[] = [];
  for (let i = 0; i < refs.length; i += BATCH) {
    for (const line of view.readLines(refs.slice(i, i + BATCH))) {
      out.push({ kind: "line", line, context: false });
    }
  }
  return out;
}

function emptyLine(r: LineRef): LogLine {
  return {
    seq: r.seq,
    ts: r.ts,
    stream: STREAM_NAMES[r.stream],
    generation: r.generation,
    text: "",
    annotation: (r.flags & FLAG_ANNOTATION) !== 0,
  };
}
