/**
 * A read-only view of a whole log directory: its segments in order, with
 * helpers that work in sequence numbers across segment boundaries (binary
 * searches by time and generation, stepping to the next or previous line of
 * the wanted streams) and batched reading of line texts.
 */

import { type IndexRecord, segmentFiles, STREAM_NAMES, type StreamNo } from "./index_format.ts";
import { SegmentIndex } from "./index_reader.ts";
import { listSegments, readAt } from "./segments.ts";
import { decodeUtf8, lineText, visibleText } from "./text.ts";
import type { LogLine } from "./writer.ts";
import { FLAG_ANNOTATION } from "./index_format.ts";

/** A record located in the view: the index record plus where it is. */
export interface RecordRef extends IndexRecord {
  /** Sequence number (shared by both streams, across segments). */
  seq: number;
  /** Segment number. */
  seg: number;
  /** Position of the record in its segment's index. */
  rec: number;
}

/** Bit mask of wanted streams: 1 stdout, 2 stderr. */
export type StreamMask = 1 | 2 | 3;

/** One opened segment: its index and both stream files (null when missing). */
export interface OpenSegment {
  index: SegmentIndex;
  data: [Deno.FsFile | null, Deno.FsFile | null];
}

const SPAN_LIMIT = 1 << 20;
const GAP_LIMIT = 64 << 10;

function openData(path: string): Deno.FsFile | null {
  try {
    return Deno.openSync(path);
  } catch {
    return null;
  }
}

/** The segments of one log directory, opened together so a concurrent rotation cannot pull files away. */
export class LogView {
  /** Opened segments, oldest first. */
  readonly segments: OpenSegment[];

  private constructor(segments: OpenSegment[]) {
    this.segments = segments;
  }

  /** Opens every readable segment of `dir` (none when it does not exist). */
  static open(dir: string): LogView {
    const segs: OpenSegment[] = [];
    for (const n of listSegments(dir)) {
      const index = SegmentIndex.open(dir, n);
      if (!index) continue;
      const f = segmentFiles(n);
      segs.push({ index, data: [openData(`${dir}/${f.out}`), openData(`${dir}/${f.err}`)] });
    }
    return new LogView(segs);
  }

  /** Closes every file. */
  close(): void {
    for (const s of this.segments) {
      s.index.close();
      for (const d of s.data) d?.close();
    }
  }

  /** Sequence of the oldest record still on disk. */
  get startSeq(): number {
    return this.segments.length ? this.segments[0].index.baseSeq : 0;
  }

  /** Sequence after the newest record. */
  get endSeq(): number {
    const last = this.segments[this.segments.length - 1];
    return last ? last.index.baseSeq + last.index.count : 0;
  }

  /** Segment position and record index of `seq`, or null when it is not on disk. */
  locate(seq: number): { seg: number; rec: number } | null {
    for (let k = this.segments.length - 1; k >= 0; k--) {
      const ix = this.segments[k].index;
      if (seq >= ix.baseSeq) {
        return seq < ix.baseSeq + ix.count ? { seg: k, rec: seq - ix.baseSeq } : null;
      }
    }
    return null;
  }

  /** The record at segment position `seg`, index `rec`. */
  ref(seg: number, rec: number): RecordRef {
    const ix = this.segments[seg].index;
    const r = ix.record(rec);
    return { seq: ix.baseSeq + rec, seg, rec, ...r };
  }

  /** The record with sequence `seq` (which must be on disk). */
  refAt(seq: number): RecordRef {
    const p = this.locate(seq);
    if (!p) throw new Error(`seq ${seq} is not in the log`);
    return this.ref(p.seg, p.rec);
  }

  /**
   * First sequence whose record satisfies a predicate that is monotone over
   * the whole log (false then true), by binary search; endSeq when none.
   */
  firstSeqWhere(pred: (ix: SegmentIndex, i: number) => boolean): number {
    for (const { index: ix } of this.segments) {
      if (ix.count === 0 || !pred(ix, ix.count - 1)) continue;
      return ix.baseSeq + ix.lowerBound(0, ix.count, (i) => pred(ix, i));
    }
    return this.endSeq;
  }

  /** First sequence >= `from` and < `end` whose stream is in `mask`, or -1. */
  nextWanted(from: number, mask: StreamMask, end: number): number {
    for (let k = 0; k < this.segments.length; k++) {
      const ix = this.segments[k].index;
      const segEnd = Math.min(end, ix.baseSeq + ix.count);
      const start = Math.max(from, ix.baseSeq);
      if (start >= segEnd) continue;
      if (mask === 3) return start;
      const i = ix.nextOfStream(start - ix.baseSeq, (mask - 1) as StreamNo, segEnd - ix.baseSeq);
      if (i >= 0) return ix.baseSeq + i;
    }
    return -1;
  }

  /** Last sequence <= `from` and >= `floor` whose stream is in `mask`, or -1. */
  prevWanted(from: number, mask: StreamMask, floor: number): number {
    for (let k = this.segments.length - 1; k >= 0; k--) {
      const ix = this.segments[k].index;
      const top = Math.min(from, ix.baseSeq + ix.count - 1);
      const bottom = Math.max(floor, ix.baseSeq);
      if (top < bottom) continue;
      if (mask === 3) return top;
      const i = ix.prevOfStream(top - ix.baseSeq, (mask - 1) as StreamNo, bottom - ix.baseSeq);
      if (i >= 0) return ix.baseSeq + i;
    }
    return -1;
  }

  /** Reads and decodes the lines of `refs` (any order), coalescing nearby records into one read. */
  readLines(refs: RecordRef[]): LogLine[] {
    const texts = new Map<number, string>();
    const groups = new Map<string, RecordRef[]>();
    for (const r of refs) {
      const key = `${r.seg}:${r.stream}`;
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
    for (const g of groups.values()) {
      g.sort((a, b) => a.offset - b.offset);
      const file = this.segments[g[0].seg].data[g[0].stream];
      let i = 0;
      while (i < g.length) {
        const start = g[i].offset;
        let end = start + g[i].length;
        let j = i + 1;
        while (
          j < g.length && g[j].offset - end <= GAP_LIMIT &&
          g[j].offset + g[j].length - start <= SPAN_LIMIT
        ) {
          end = Math.max(end, g[j].offset + g[j].length);
          j++;
        }
        const buf = new Uint8Array(end - start);
        const got = file ? readAt(file, start, buf) : 0;
        // Decode the span once; when it is pure ASCII each line is a slice of it.
        const span = decodeUtf8(buf.subarray(0, got));
        const ascii = span.length === got;
        for (let k = i; k < j; k++) {
          const a = Math.min(g[k].offset - start, got);
          const b = Math.min(a + g[k].length, got);
          texts.set(g[k].seq, ascii ? visibleText(span.slice(a, b)) : lineText(buf.subarray(a, b)));
        }
        i = j;
      }
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
