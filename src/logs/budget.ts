/**
 * The disk bound of a log, as arithmetic (pure). A segment obeys
 * `stream file + index ≤ segment bytes` for each of its streams (stdout,
 * stderr and, for a process whose browser console is captured, browser), so
 * a segment never holds more than 3 × segment bytes (2 × without browser
 * lines) and a log (at most `keep` segments) never more than
 * `segment bytes × keep × 3`, index included,
 * whatever the line length. Before storing bytes the writer asks whether the
 * worst case of what they add still fits; if not it stores a smaller piece
 * or starts the next segment.
 */

import { RECORD_BYTES } from "./index_format.ts";

/** Smallest segment size accepted: room for the header, a few blocks and a cut line. */
export const MIN_SEGMENT_BYTES = 1024;

/** Bytes of the current segment that count against its bound. */
export interface SegmentUsage {
  /** Size of the stream file being written. */
  stream: number;
  /** Size of the largest other stream file. */
  other: number;
  /** Size of the index, header and records not yet flushed included. */
  index: number;
}

/** Most a piece of `len` bytes can add: data (with inserted newlines) and index bytes. */
export function worstCase(
  len: number,
  pending: number,
  maxLine: number,
  maxRun: number,
): { data: number; index: number } {
  const cuts = Math.floor((pending + len) / maxLine) + 1;
  // Runs alternate between cut lines and whole lines at worst; long runs are split.
  const blocks = 2 * cuts + 2 + Math.ceil((pending + len) / maxRun);
  return { data: len + cuts, index: blocks * RECORD_BYTES };
}

/** Whether adding `cost` keeps every stream of the segment within `segmentBytes`. */
export function fits(u: SegmentUsage, cost: { data: number; index: number }, segmentBytes: number) {
  const index = u.index + cost.index;
  return u.stream + cost.data + index <= segmentBytes && u.other + index <= segmentBytes;
}

/**
 * The longest piece (at most `limit` bytes, `limit` ≤ `maxLine`) that fits
 * in the segment now, or 0.
 */
export function roomFor(
  u: SegmentUsage,
  limit: number,
  pending: number,
  maxLine: number,
  maxRun: number,
  segmentBytes: number,
): number {
  const worst = worstCase(limit, pending, maxLine, maxRun);
  const index = u.index + worst.index;
  if (u.other + index > segmentBytes) return 0;
  const extra = worst.data - limit;
  return Math.max(0, Math.min(limit, segmentBytes - index - u.stream - extra));
}
