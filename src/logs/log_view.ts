/**
 * A read-only view of a whole log directory: its segments in order, with
 * helpers that work in sequence numbers across segment boundaries (binary
 * searches over blocks by time and generation, stepping to the next or
 * previous line of the wanted streams) and batched reading of line texts,
 * which reads each needed block once and finds its lines by their newlines.
 */

import { FLAG_ANNOTATION, segmentFiles, STREAM_NAMES, type StreamNo } from "./index_format.ts";
import { SegmentIndex } from "./index_reader.ts";
import type { LogLine } from "./live_lines.ts";
import { listSegments, readAt } from "./segments.ts";
import { decodeUtf8, lineText, visibleText } from "./text.ts";

/** A line located in the view: what its block says about it, and where it is. */
export interface LineRef {
  /** Sequence number (shared by both streams, across segments). */
  seq: number;
  /** Position of the segment in the view. */
  seg: number;
  /** Block index in the segment's index. */
  block: number;
  /** Position of the line in its block. */
  line: number;
  /** Timestamp of the line (its block's). */
  ts: number;
  /** Generation of the line (its block's). */
  generation: number;
  /** Stream of the line. */
  stream: StreamNo;
  /** FLAG_* bits of its block. */
  flags: number;
}

/** Bit mask of wanted streams (bit `1 << stream`): 1 stdout, 2 stderr, 4 browser; 7 is all. */
export type StreamMask = number;

/** The mask of every stream. */
export const ALL_STREAMS: StreamMask = 7;

/** One opened segment: its index and its stream files (null when missing). */
export interface OpenSegment {
  index: SegmentIndex;
  data: [Deno.FsFile | null, Deno.FsFile | null, Deno.FsFile | null];
}

const SPAN_LIMIT = 1 << 20;
const GAP_LIMIT = 64 << 10;

/**
 * Segment `n` with its index and its stream files (null for a stream never written), or null when
 * the segment is unreadable or being deleted.
 */
function openSegment(dir: string, n: number): OpenSegment | null {
  const index = SegmentIndex.open(dir, n);
  if (!index) return null;
  const f = segmentFiles(n);
  const data: [Deno.FsFile | null, Deno.FsFile | null, Deno.FsFile | null] = [null, null, null];
  try {
    data[0] = openIfExists(`${dir}/${f.out}`);
    data[1] = openIfExists(`${dir}/${f.err}`);
    data[2] = openIfExists(`${dir}/${f.web}`);
    // A stream file is created with its first bytes; one missing while its index is gone too
    // means rotation is deleting the segment (the index goes first): not part of the log.
    if (data.some((d) => d === null) && gone(dir, n)) throw new Deno.errors.NotFound();
    return { index, data };
  } catch {
    for (const d of data) d?.close();
    index.close();
    return null;
  }
}

/** Opens a file for reading, or null when it does not exist (a stream never written). */
function openIfExists(path: string): Deno.FsFile | null {
  try {
    return Deno.openSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** Whether segment `n`'s index no longer exists (rotation deleted it). */
function gone(dir: string, n: number): boolean {
  try {
    Deno.statSync(`${dir}/${segmentFiles(n).idx}`);
    return false;
  } catch {
    return true;
  }
}

function closeSegment(s: OpenSegment): void {
  s.index.close();
  for (const d of s.data) d?.close();
}

/** The segments of one log directory, opened together so a concurrent rotation cannot pull files away. */
export class LogView {
  /** Opened segments, oldest first. */
  readonly segments: OpenSegment[];

  private constructor(segments: OpenSegment[]) {
    this.segments = segments;
  }

  /**
   * Opens every readable segment of `dir` (none when it does not exist),
   * newest first: a flood may rotate while this runs, and rotation deletes
   * the oldest segments, so the view is the longest run of segments that
   * still exist back from the newest. When segments vanished because the
   * log rotated while they were being opened, the listing is taken again
   * (a few times at most).
   */
  static open(dir: string): LogView {
    let segs: OpenSegment[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      const listed = listSegments(dir);
      segs = [];
      let cut = false;
      for (let k = listed.length - 1; k >= 0; k--) {
        const seg = openSegment(dir, listed[k]);
        if (seg) segs.unshift(seg);
        else if ((cut = gone(dir, listed[k]))) break; // deleted by rotation, and so is everything older
      }
      // Rotated while we opened (older segments lost, newer ones there): the view is cut short.
      const moved = cut && listSegments(dir).at(-1) !== listed.at(-1);
      if ((segs.length > 0 && !moved) || listed.length === 0 || attempt === 7) break;
      for (const s of segs) closeSegment(s);
    }
    return new LogView(segs);
  }

  /** Closes every file. */
  close(): void {
    for (const s of this.segments) closeSegment(s);
  }

  /** Sequence of the oldest line still on disk. */
  get startSeq(): number {
    return this.segments.length ? this.segments[0].index.baseSeq : 0;
  }

  /** Sequence after the newest line. */
  get endSeq(): number {
    const last = this.segments[this.segments.length - 1];
    return last ? last.index.baseSeq + last.index.lines : 0;
  }

  /** Segment position, block and line in block of `seq`, or null when it is not on disk. */
  locate(seq: number): { seg: number; block: number; line: number } | null {
    for (let k = this.segments.length - 1; k >= 0; k--) {
      const ix = this.segments[k].index;
      if (seq >= ix.baseSeq) {
        if (seq >= ix.baseSeq + ix.lines) return null;
        const block = ix.blockOf(seq - ix.baseSeq);
        return { seg: k, block, line: seq - ix.baseSeq - ix.first(block) };
      }
    }
    return null;
  }

  /** The line at position `line` of block `block` of segment position `seg`. */
  ref(seg: number, block: number, line: number): LineRef {
    const ix = this.segments[seg].index;
    const r = ix.record(block);
    return {
      seq: ix.baseSeq + r.first + line,
      seg,
      block,
      line,
      ts: r.ts,
      generation: r.generation,
      stream: r.stream,
      flags: r.flags,
    };
  }

  /** The line with sequence `seq` (which must be on disk). */
  refAt(seq: number): LineRef {
    const p = this.locate(seq);
    if (!p) throw new Error(`seq ${seq} is not in the log`);
    return this.ref(p.seg, p.block, p.line);
  }

  /**
   * First sequence whose block satisfies a predicate that is monotone over
   * the whole log (false then true), by binary search; endSeq when none.
   */
  firstSeqWhere(pred: (ix: SegmentIndex, block: number) => boolean): number {
    for (const { index: ix } of this.segments) {
      if (ix.count === 0 || !pred(ix, ix.count - 1)) continue;
      return ix.baseSeq + ix.first(ix.lowerBound(0, ix.count, (b) => pred(ix, b)));
    }
    return this.endSeq;
  }

  /** First sequence >= `from` and < `end` whose stream is in `mask`, or -1. */
  nextWanted(from: number, mask: StreamMask, end: number): number {
    for (const { index: ix } of this.segments) {
      const segEnd = Math.min(end, ix.baseSeq + ix.lines);
      const start = Math.max(from, ix.baseSeq);
      if (start >= segEnd) continue;
      const b = ix.blockOf(start - ix.baseSeq);
      if ((mask >> ix.stream(b)) & 1) return start;
      const nb = ix.nextOfMask(b + 1, mask, ix.count);
      if (nb < 0) continue;
      const seq = ix.baseSeq + ix.first(nb);
      return seq < segEnd ? seq : -1;
    }
    return -1;
  }

  /** Last sequence <= `from` and >= `floor` whose stream is in `mask`, or -1. */
  prevWanted(from: number, mask: StreamMask, floor: number): number {
    for (let k = this.segments.length - 1; k >= 0; k--) {
      const ix = this.segments[k].index;
      const top = Math.min(from, ix.baseSeq + ix.lines - 1);
      const bottom = Math.max(floor, ix.baseSeq);
      if (top < bottom) continue;
      const b = ix.blockOf(top - ix.baseSeq);
      if ((mask >> ix.stream(b)) & 1) return top;
      const pb = ix.prevOfMask(b - 1, mask, 0);
      if (pb < 0) continue;
      const seq = ix.baseSeq + ix.first(pb) + ix.size(pb) - 1;
      return seq >= bottom ? seq : -1;
    }
    return -1;
  }

  /** Reads and decodes the lines of `refs` (any order), reading each block once and nearby blocks together. */
  readLines(refs: LineRef[]): LogLine[] {
    const texts = new Map<number, string>();
    const byBlock = new Map<string, LineRef[]>();
    for (const r of refs) {
      const key = `${r.seg}:${r.block}`;
      const g = byBlock.get(key);
      if (g) g.push(r);
      else byBlock.set(key, [r]);
    }
    const blocks = [...byBlock.values()].map((g) => {
      const ix = this.segments[g[0].seg].index;
      return {
        refs: g,
        seg: g[0].seg,
        stream: g[0].stream,
        a: ix.offset(g[0].block),
        z: ix.end(g[0].block),
        count: ix.size(g[0].block),
      };
    });
    blocks.sort((x, y) => x.seg - y.seg || x.stream - y.stream || x.a - y.a);
    let i = 0;
    while (i < blocks.length) {
      const { seg, stream, a: start } = blocks[i];
      let end = blocks[i].z;
      let j = i + 1;
      while (
        j < blocks.length && blocks[j].seg === seg && blocks[j].stream === stream &&
        blocks[j].a - end <= GAP_LIMIT && blocks[j].z - start <= SPAN_LIMIT
      ) {
        end = Math.max(end, blocks[j].z);
        j++;
      }
      const file = this.segments[seg].data[stream];
      const buf = new Uint8Array(end - start);
      const got = file ? readAt(file, start, buf) : 0;
      for (let k = i; k < j; k++) {
        const b = blocks[k];
        const from = Math.min(b.a - start, got);
        blockLineTexts(buf.subarray(from, Math.min(b.z - start, got)), b.count, b.refs, texts);
      }
      i = j;
    }
    return refs.map((r) => ({
      seq: r.seq,
      ts: r.ts,
      stream: STREAM_NAMES[r.stream],
      generation: r.generation,
      text: texts.get(r.seq) ?? "",
      annotation: (r.flags & FLAG_ANNOTATION) !== 0,
    }));
  }
}

/**
 * Sets the texts of the wanted lines of one block of `count` lines, given
 * the block's bytes. Lines are found with native `indexOf`/`lastIndexOf`
 * from the nearer end (a tail wants the last lines of the last blocks), and
 * only up to the wanted ones.
 */
function blockLineTexts(
  bytes: Uint8Array,
  count: number,
  refs: LineRef[],
  texts: Map<number, string>,
): void {
  let lo = Infinity;
  let hi = -1;
  for (const r of refs) {
    lo = Math.min(lo, r.line);
    hi = Math.max(hi, r.line);
  }
  // bounds[2 * (k - lo)] = start of line k, bounds[2 * (k - lo) + 1] = its newline; -1 when missing.
  const bounds = new Array<number>(2 * (hi - lo + 1)).fill(-1);
  const n = bytes.length;
  if (count - 1 - hi < lo && n > 0 && bytes[n - 1] === 10) {
    let end = n - 1;
    for (let k = count - 1; k >= lo && end >= 0; k--) {
      const start = end === 0 ? 0 : bytes.lastIndexOf(10, end - 1) + 1;
      if (k <= hi) {
        bounds[2 * (k - lo)] = start;
        bounds[2 * (k - lo) + 1] = end;
      }
      end = start - 1;
    }
  } else {
    let start = 0;
    for (let k = 0; k <= hi && start <= n; k++) {
      const end = bytes.indexOf(10, start);
      if (end < 0) break; // missing bytes (a damaged file): those lines get empty text
      if (k >= lo) {
        bounds[2 * (k - lo)] = start;
        bounds[2 * (k - lo) + 1] = end;
      }
      start = end + 1;
    }
  }
  const spanA = bounds[0] >= 0 ? bounds[0] : 0;
  const spanZ = Math.max(spanA, bounds[bounds.length - 1]);
  const ascii = refs.length > 8 ? asciiText(bytes.subarray(spanA, spanZ)) : null;
  for (const r of refs) {
    const a = bounds[2 * (r.line - lo)];
    const b = bounds[2 * (r.line - lo) + 1];
    if (a < 0 || b < 0) continue;
    texts.set(
      r.seq,
      ascii !== null && a >= spanA && b <= spanZ
        ? visibleText(ascii.slice(a - spanA, b - spanA))
        : lineText(bytes.subarray(a, b)),
    );
  }
}

/** The bytes decoded once when they are pure ASCII (then byte and string positions agree), else null. */
function asciiText(bytes: Uint8Array): string | null {
  const s = decodeUtf8(bytes);
  return s.length === bytes.length ? s : null;
}
