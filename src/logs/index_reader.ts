/**
 * Read access to one segment's index file: records are loaded in pages of
 * 4096 (96 KiB) through a small cache, so binary searches and backward scans
 * touch only the pages they need. Per-page summaries (records and last
 * offset per stream) let stream-specific searches skip pages of the other
 * stream without looking at each record twice.
 */

import {
  getRecord,
  HEADER_BYTES,
  type IndexRecord,
  parseHeader,
  RECORD_BYTES,
  recordCount,
  segmentFiles,
  type StreamNo,
} from "./index_format.ts";
import { readAt } from "./segments.ts";

/** Records per cached page. */
export const PAGE_RECORDS = 4096;
const PAGE_SHIFT = 12;
const MAX_CACHED_PAGES = 48;

interface PageSummary {
  count: [number, number];
  lastOffset: [number, number];
}

/** The index of one segment, opened for reading. */
export class SegmentIndex {
  /** Segment number N of `idx.N.bin`. */
  readonly segment: number;
  /** Sequence number of record 0. */
  readonly baseSeq: number;
  /** Complete records at open time (a record written later is not seen). */
  readonly count: number;
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

  /** Timestamp of record `i`. */
  ts(i: number): number {
    return this.#page(i >> PAGE_SHIFT).getFloat64((i & (PAGE_RECORDS - 1)) * RECORD_BYTES, true);
  }

  /** Byte offset of record `i` in its stream file. */
  offset(i: number): number {
    return this.#page(i >> PAGE_SHIFT).getUint32((i & (PAGE_RECORDS - 1)) * RECORD_BYTES + 8, true);
  }

  /** Generation of record `i`. */
  generation(i: number): number {
    return this.#page(i >> PAGE_SHIFT).getUint32(
      (i & (PAGE_RECORDS - 1)) * RECORD_BYTES + 16,
      true,
    );
  }

  /** Stream of record `i`. */
  stream(i: number): StreamNo {
    return (this.#page(i >> PAGE_SHIFT).getUint8((i & (PAGE_RECORDS - 1)) * RECORD_BYTES + 20) &
      1) as StreamNo;
  }

  /** All fields of record `i`. */
  record(i: number): IndexRecord {
    return getRecord(this.#page(i >> PAGE_SHIFT), (i & (PAGE_RECORDS - 1)) * RECORD_BYTES);
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
    s = { count: [0, 0], lastOffset: [-1, -1] };
    const n = dv.byteLength / RECORD_BYTES;
    for (let k = 0; k < n; k++) {
      const at = k * RECORD_BYTES;
      const st = dv.getUint8(at + 20) & 1;
      s.count[st]++;
      s.lastOffset[st] = dv.getUint32(at + 8, true);
    }
    this.#summaries.set(p, s);
    return s;
  }

  /** First record j in [from, limit) of stream `s`, or -1; pages without such records are skipped. */
  nextOfStream(from: number, s: StreamNo, limit: number): number {
    let i = from;
    while (i < limit) {
      const p = i >> PAGE_SHIFT;
      const pageEnd = Math.min(limit, (p + 1) << PAGE_SHIFT);
      if (this.#summary(p).count[s] === 0) {
        i = pageEnd;
        continue;
      }
      for (; i < pageEnd; i++) if (this.stream(i) === s) return i;
    }
    return -1;
  }

  /** Last record j in [floor, from] of stream `s`, or -1. */
  prevOfStream(from: number, s: StreamNo, floor: number): number {
    let i = from;
    while (i >= floor) {
      const p = i >> PAGE_SHIFT;
      const pageStart = Math.max(floor, p << PAGE_SHIFT);
      if (this.#summary(p).count[s] === 0) {
        i = pageStart - 1;
        continue;
      }
      for (; i >= pageStart; i--) if (this.stream(i) === s) return i;
    }
    return -1;
  }

  /**
   * First record of stream `s` in [lo, hi) whose offset is >= `off`, or -1.
   * Offsets grow within a stream, so this is a binary search over pages
   * (by each page's last offset of that stream) and then a short scan.
   */
  findByOffset(s: StreamNo, off: number, lo: number, hi: number): number {
    if (lo >= hi) return -1;
    const firstPage = lo >> PAGE_SHIFT;
    const lastPage = (hi - 1) >> PAGE_SHIFT;
    // Smallest page whose next page-with-records-of-s has lastOffset >= off.
    const page = this.lowerBound(firstPage, lastPage + 1, (p) => {
      for (let q = p; q <= lastPage; q++) {
        const sum = this.#summary(q);
        if (sum.count[s] > 0) return sum.lastOffset[s] >= off;
      }
      return true;
    });
    let i = Math.max(lo, page << PAGE_SHIFT);
    while (true) {
      i = this.nextOfStream(i, s, hi);
      if (i < 0 || this.offset(i) >= off) return i;
      i++;
    }
  }
}
