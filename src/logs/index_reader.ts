/**
 * Read access to one segment's block index: records are loaded in pages of
 * 4096 (128 KiB) through a small cache, so binary searches and backward
 * scans touch only the pages they need. Per-page summaries (blocks per
 * stream) let stream-specific searches skip pages of the other
 * stream without looking at each block twice.
 */

import {
  type BlockRecord,
  getRecord,
  HEADER_BYTES,
  parseHeader,
  RECORD_BYTES,
  recordCount,
  segmentFiles,
  type StreamNo,
  streamNo,
} from "./index_format.ts";
import { readAt } from "./segments.ts";

/** Blocks per cached page. */
export const PAGE_RECORDS = 4096;
const PAGE_SHIFT = 12;
const MAX_CACHED_PAGES = 48;

interface PageSummary {
  count: [number, number, number];
}

/** The index of one segment, opened for reading. */
export class SegmentIndex {
  /** Segment number N of `idx.N.bin`. */
  readonly segment: number;
  /** Sequence number of the segment's first line. */
  readonly baseSeq: number;
  /** Complete blocks at open time (a block written later is not seen). */
  readonly count: number;
  /** Lines in those blocks. */
  readonly lines: number;
  readonly #file: Deno.FsFile;
  readonly #pages = new Map<number, DataView>();
  readonly #summaries = new Map<number, PageSummary>();
  #curPage = -1;
  #cur: DataView = new DataView(new ArrayBuffer(0));

  private constructor(segment: number, baseSeq: number, count: number, file: Deno.FsFile) {
    this.segment = segment;
    this.baseSeq = baseSeq;
    this.count = count;
    this.#file = file;
    this.lines = count ? this.first(count - 1) + this.size(count - 1) : 0;
  }

  /** Opens `idx.N.bin` in `dir`; null when it is missing, not yet written or not an index. */
  static open(dir: string, segment: number): SegmentIndex | null {
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(`${dir}/${segmentFiles(segment).idx}`);
    } catch {
      return null;
    }
    const head = new Uint8Array(HEADER_BYTES);
    const h = readAt(file, 0, head) === HEADER_BYTES ? parseHeader(head) : null;
    if (!h || !h.ok) {
      file.close();
      return null;
    }
    return new SegmentIndex(segment, h.baseSeq, recordCount(file.statSync().size), file);
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }

  #page(p: number): DataView {
    if (p === this.#curPage) return this.#cur;
    let dv = this.#pages.get(p);
    if (dv) {
      this.#pages.delete(p);
    } else {
      const first = p << PAGE_SHIFT;
      const n = Math.min(PAGE_RECORDS, this.count - first);
      const buf = new Uint8Array(n * RECORD_BYTES);
      const got = readAt(this.#file, HEADER_BYTES + first * RECORD_BYTES, buf);
      buf.fill(0, got);
      dv = new DataView(buf.buffer);
      if (this.#pages.size >= MAX_CACHED_PAGES) {
        const oldest = this.#pages.keys().next().value;
        if (oldest !== undefined) this.#pages.delete(oldest);
      }
    }
    this.#pages.set(p, dv);
    this.#curPage = p;
    this.#cur = dv;
    return dv;
  }

  #u32(b: number, field: number): number {
    return this.#page(b >> PAGE_SHIFT).getUint32(
      (b & (PAGE_RECORDS - 1)) * RECORD_BYTES + field,
      true,
    );
  }

  /** Timestamp of block `b`. */
  ts(b: number): number {
    return this.#page(b >> PAGE_SHIFT).getFloat64((b & (PAGE_RECORDS - 1)) * RECORD_BYTES, true);
  }

  /** First line of block `b`, relative to the base sequence. */
  first(b: number): number {
    return this.#u32(b, 8);
  }

  /** Lines in block `b`. */
  size(b: number): number {
    return this.#u32(b, 12);
  }

  /** Byte offset of block `b` in its stream file. */
  offset(b: number): number {
    return this.#u32(b, 16);
  }

  /** Byte offset just past block `b` (after its last newline). */
  end(b: number): number {
    return this.#u32(b, 16) + this.#u32(b, 20);
  }

  /** Generation of block `b`. */
  generation(b: number): number {
    return this.#u32(b, 24);
  }

  /** Stream of block `b`. */
  stream(b: number): StreamNo {
    return streamNo(
      this.#page(b >> PAGE_SHIFT).getUint8((b & (PAGE_RECORDS - 1)) * RECORD_BYTES + 28),
    );
  }

  /** All fields of block `b`. */
  record(b: number): BlockRecord {
    return getRecord(this.#page(b >> PAGE_SHIFT), (b & (PAGE_RECORDS - 1)) * RECORD_BYTES);
  }

  /** The block holding line `rel` (relative to the base sequence; must be < lines). */
  blockOf(rel: number): number {
    return this.lowerBound(0, this.count, (b) => this.first(b) + this.size(b) > rel);
  }

  /** First index in [lo, hi) where the monotone predicate becomes true, else hi. */
  lowerBound(lo: number, hi: number, pred: (i: number) => boolean): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  #summary(p: number): PageSummary {
    let s = this.#summaries.get(p);
    if (s) return s;
    const dv = this.#page(p);
    s = { count: [0, 0, 0] };
    const n = dv.byteLength / RECORD_BYTES;
    for (let k = 0; k < n; k++) s.count[streamNo(dv.getUint8(k * RECORD_BYTES + 28))]++;
    this.#summaries.set(p, s);
    return s;
  }

  /** Whether page `p` holds a block of a stream in `mask` (bit `1 << stream`). */
  #pageHas(p: number, mask: number): boolean {
    const c = this.#summary(p).count;
    return ((mask & 1) !== 0 && c[0] > 0) || ((mask & 2) !== 0 && c[1] > 0) ||
      ((mask & 4) !== 0 && c[2] > 0);
  }

  /** First block in [from, limit) of a stream in `mask`, or -1; pages without such blocks are skipped. */
  nextOfMask(from: number, mask: number, limit: number): number {
    let i = Math.max(0, from);
    while (i < limit) {
      const p = i >> PAGE_SHIFT;
      const pageEnd = Math.min(limit, (p + 1) << PAGE_SHIFT);
      if (!this.#pageHas(p, mask)) {
        i = pageEnd;
        continue;
      }
      for (; i < pageEnd; i++) if ((mask >> this.stream(i)) & 1) return i;
    }
    return -1;
  }

  /** Last block in [floor, from] of a stream in `mask`, or -1. */
  prevOfMask(from: number, mask: number, floor: number): number {
    let i = Math.min(from, this.count - 1);
    while (i >= floor) {
      const p = i >> PAGE_SHIFT;
      const pageStart = Math.max(floor, p << PAGE_SHIFT);
      if (!this.#pageHas(p, mask)) {
        i = pageStart - 1;
        continue;
      }
      for (; i >= pageStart; i--) if ((mask >> this.stream(i)) & 1) return i;
    }
    return -1;
  }

  /** First block in [from, limit) of stream `s`, or -1. */
  nextOfStream(from: number, s: StreamNo, limit: number): number {
    return this.nextOfMask(from, 1 << s, limit);
  }

  /** Last block in [floor, from] of stream `s`, or -1. */
  prevOfStream(from: number, s: StreamNo, floor: number): number {
    return this.prevOfMask(from, 1 << s, floor);
  }
}
