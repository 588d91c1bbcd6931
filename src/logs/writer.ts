/**
 * The log writer used by the daemon: appends each chunk read from a child's
 * pipe to the segment's stream file at once (one write), indexes the lines it
 * completes as blocks (one 32-byte record per run of lines, written once per
 * chunk), rotates segments so that everything on disk stays within
 * `maxSegmentBytes × keepSegments × 2` (see budget.ts), and resumes an
 * existing log on open, repairing what a crash left behind. No per-line work
 * unless a live listener (`onLines`) wants the lines.
 */

import { fits, MIN_SEGMENT_BYTES, roomFor, worstCase } from "./budget.ts";
import {
  FIRST_SEQ,
  FLAG_ANNOTATION,
  putRecord,
  RECORD_BYTES,
  STREAM_NOS,
  type StreamNo,
} from "./index_format.ts";
import { type BlockMeta, type LogLine, pushBlockLines } from "./live_lines.ts";
import { type RecoveredTail, resumeIndex } from "./resume.ts";
import { removeDeleted, SegmentFiles } from "./segment_files.ts";
import { listSegments, readAt } from "./segments.ts";
import { DEFAULT_MAX_RUN_BYTES, LineSplitter, type Run } from "./splitter.ts";

export type { LogLine } from "./live_lines.ts";

/** Options of `LogWriter.open`. */
export interface LogWriterOptions {
  /** Bound of one stream file plus the index in a segment (default 50 MiB, 1 KiB to 1 GiB). */
  maxSegmentBytes?: number;
  /** Segments kept, the current one included (default 5). */
  keepSegments?: number;
  /** Longest single line; longer lines are cut (default 64 KiB, at most a quarter segment). */
  maxLineBytes?: number;
  /** Clock in ms since the epoch (tests and benchmarks inject one); default `Date.now`. */
  clock?: () => number;
}

/** Default size bound of one stream file (plus the index) of a segment. */
export const DEFAULT_MAX_SEGMENT_BYTES = 50 * 1024 * 1024;
/** Default number of segments kept. */
export const DEFAULT_KEEP_SEGMENTS = 5;
/** Default longest line. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = new Uint8Array([10]);
const encoder = new TextEncoder();
const MAX_RUN = DEFAULT_MAX_RUN_BYTES;
/** Segments at least this big are unlinked in the background (see segment_files.ts). */
const BACKGROUND_DELETE_BYTES = 8 * 1024 * 1024;

/** Appends a process's output to its log directory. One writer per directory at a time. */
export class LogWriter {
  /** Called with the decoded lines completed by each write/annotate/endStream, when set. */
  onLines: ((lines: LogLine[]) => void) | null = null;

  readonly #maxSeg: number;
  readonly #maxLine: number;
  readonly #keep: number;
  readonly #clock: () => number;
  readonly #split: [LineSplitter, LineSplitter, LineSplitter];
  readonly #files: SegmentFiles;
  #nextSeq: number;
  #lastTs: number;
  #batch = new DataView(new ArrayBuffer(RECORD_BYTES * 16));
  #batchLen = 0;
  #batchLines = 0;
  #lines: LogLine[] | null = null;
  #closed = false;
  #gen: [number, number, number] = [0, 0, 0];
  #error: Error | null = null;

  private constructor(opts: LogWriterOptions, files: SegmentFiles, lastTs: number) {
    const seg = opts.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
    this.#maxSeg = Math.min(Math.max(seg, MIN_SEGMENT_BYTES), 1 << 30);
    this.#keep = Math.max(1, Math.floor(opts.keepSegments ?? DEFAULT_KEEP_SEGMENTS));
    this.#clock = opts.clock ?? Date.now;
    const line = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#maxLine = Math.max(4, Math.min(line, Math.floor(this.#maxSeg / 4)));
    this.#files = files;
    this.#split = [
      new LineSplitter(this.#maxLine),
      new LineSplitter(this.#maxLine),
      new LineSplitter(this.#maxLine),
    ];
    this.#nextSeq = files.base;
    this.#lastTs = lastTs;
  }

  /**
   * Opens the log in `dir`, resuming its newest segment. A new log creates its directory and
   * files (mode 0700/0600) only when the first bytes are written (see segment_files.ts).
   */
  static open(dir: string, opts: LogWriterOptions = {}): LogWriter {
    // A segment not created yet: its index and files come with its first bytes.
    const fresh = (seg: number, base: number) =>
      new LogWriter(opts, new SegmentFiles(dir, seg, base, null), 0);
    try {
      removeDeleted(dir);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      return fresh(1, FIRST_SEQ);
    }
    const segs = listSegments(dir);
    if (segs.length === 0) return fresh(1, FIRST_SEQ);
    const newest = segs[segs.length - 1];
    const resumed = resumeIndex(dir, newest, segs.length > 1 ? segs[segs.length - 2] : null);
    // An index we cannot read: leave it alone and start the next segment.
    if (!resumed.ok) return fresh(newest + 1, resumed.nextSeq);
    const files = new SegmentFiles(dir, newest, resumed.baseSeq, resumed.file);
    const w = new LogWriter(opts, files, resumed.lastTs);
    w.#nextSeq = resumed.nextSeq;
    for (const t of resumed.tails) w.#gen[t.stream] = t.generation;
    w.#recover(resumed.tails, opts.clock ?? Date.now);
    return w;
  }

  /** Sequence number the next line will get. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** Resolves once the segments that rotation deleted are gone from the disk (tests, benchmarks). */
  deleted(): Promise<void> {
    return this.#files.deleted();
  }

  /** Current segment number (for tests and diagnostics). */
  get segment(): number {
    return this.#files.seg;
  }

  /**
   * The last I/O error met (disk full, file removed...), or null. Writing
   * never throws: capture goes on and a later open repairs the index.
   */
  get lastError(): Error | null {
    return this.#error;
  }

  /**
   * Appends a chunk read from stream `stream`. The bytes reach the stream file
   * immediately; completed lines are indexed with one write. Returns the
   * number of lines completed.
   */
  write(stream: StreamNo, chunk: Uint8Array, generation: number): number {
    if (this.#closed || chunk.length === 0) return 0;
    this.#gen[stream] = generation;
    return this.#guard(() => {
      const ts = this.#now();
      const before = this.#nextSeq + this.#batchLines;
      let pos = 0;
      while (pos < chunk.length) pos += this.#piece(stream, chunk.subarray(pos), ts, generation);
      return this.#nextSeq + this.#batchLines - before;
    }, 0);
  }

  /** Indexes a pending partial line of `stream` as a line (flag 4); call when the pipe closes. */
  endStream(stream: StreamNo, generation: number): void {
    if (this.#closed) return;
    this.#guard(() => this.#flushPending(stream, this.#now(), generation), undefined);
  }

  /** Writes a supervisor annotation line (newlines in `text` become spaces), flag 1, on stdout. */
  annotate(text: string, generation: number): void {
    if (this.#closed) return;
    this.#guard(() => {
      let body = encoder.encode(text.replace(/[\r\n]+/g, " "));
      if (body.length > this.#maxLine) body = body.subarray(0, this.#maxLine);
      const ts = this.#now();
      this.#ensureRoom(0, body.length + 2);
      // A partial stdout line is completed first, so the annotation stands on its own line.
      this.#flushPending(0, ts, generation);
      const bytes = new Uint8Array(body.length + 1);
      bytes.set(body);
      bytes[body.length] = 10;
      const run = {
        offset: this.#files.size(0),
        length: bytes.length,
        count: 1,
        flags: FLAG_ANNOTATION,
      };
      this.#files.append(0, bytes);
      this.#block({ ts, generation, stream: 0 }, run, bytes);
    }, undefined);
  }

  /** Indexes pending partial lines (flag 4, generation of their last write) and closes the files. */
  close(): void {
    if (this.#closed) return;
    for (const s of STREAM_NOS) this.endStream(s, this.#gen[s]);
    this.#closed = true;
    this.#files.close();
  }

  /** Runs one operation: batches its blocks and lines, then commits them (index after data); never throws. */
  #guard<T>(op: () => T, failed: T): T {
    this.#lines = this.onLines ? [] : null;
    try {
      const r = op();
      // Data first, then its index: a crash in between leaves bytes that the next open indexes.
      this.#flushBatch();
      const lines = this.#lines;
      this.#lines = null;
      if (lines && lines.length && this.onLines) this.onLines(lines);
      return r;
    } catch (e) {
      // Keep the error and resynchronize with the files (a partial line in progress is dropped).
      this.#error = e instanceof Error ? e : new Error(String(e));
      this.#batchLen = 0;
      this.#batchLines = 0;
      this.#lines = null;
      for (const sp of this.#split) sp.discard();
      this.#files.resync();
      return failed;
    }
  }

  /** Stores as much of `rest` as the segment's bound allows (rotating when nothing fits); returns the bytes taken. */
  #piece(stream: StreamNo, rest: Uint8Array, ts: number, generation: number): number {
    const pend = this.#split[stream].pendingLength;
    const usage = this.#files.usage(stream, this.#batchLen * RECORD_BYTES);
    if (fits(usage, worstCase(rest.length, pend, this.#maxLine, MAX_RUN), this.#maxSeg)) {
      this.#feed(stream, rest, ts, generation);
      return rest.length;
    }
    const limit = Math.min(rest.length, this.#maxLine);
    const room = roomFor(usage, limit, pend, this.#maxLine, MAX_RUN, this.#maxSeg);
    // Whole lines only: a line split between segments would leave its start behind as bytes that
    // nothing reads (and `cat out.*.log` would show it glued to the next file's first line).
    const nl = room > 0 ? rest.subarray(0, room).lastIndexOf(10) : -1;
    if (nl >= 0) {
      this.#feed(stream, rest.subarray(0, nl + 1), ts, generation);
      return nl + 1;
    }
    if (this.#rotatable()) {
      this.#rotate();
      return 0;
    }
    // A fresh segment holding at most a carried partial line: store what fits (a line longer than
    // `maxLine` is cut anyway, and a fresh segment has room for more than that).
    const take = room > 0 ? room : limit;
    this.#feed(stream, rest.subarray(0, take), ts, generation);
    return take;
  }

  #feed(stream: StreamNo, piece: Uint8Array, ts: number, generation: number): void {
    const split = this.#split[stream];
    const prefix = this.#lines ? split.pending().slice() : null;
    const base = this.#files.size(stream);
    const fed = split.feed(piece, base);
    this.#files.append(stream, fed.output);
    for (const run of fed.runs) {
      this.#block(
        { ts, generation, stream },
        run,
        prefix && runBytes(run, prefix, base, fed.output),
      );
    }
  }

  /** Batches the index record of a run, and its decoded lines when a listener wants them. */
  #block(meta: Omit<BlockMeta, "seq" | "flags">, run: Run, bytes: Uint8Array | null): void {
    const need = (this.#batchLen + 1) * RECORD_BYTES;
    if (need > this.#batch.byteLength) {
      const grown = new Uint8Array(need * 2);
      grown.set(new Uint8Array(this.#batch.buffer, 0, this.#batchLen * RECORD_BYTES));
      this.#batch = new DataView(grown.buffer);
    }
    const seq = this.#nextSeq + this.#batchLines;
    putRecord(this.#batch, this.#batchLen * RECORD_BYTES, {
      ...meta,
      first: seq - this.#files.base,
      count: run.count,
      offset: run.offset,
      length: run.length,
      flags: run.flags,
    });
    this.#batchLen++;
    this.#batchLines += run.count;
    if (bytes && this.#lines) {
      pushBlockLines(this.#lines, { ...meta, seq, flags: run.flags }, bytes);
    }
  }

  #flushPending(stream: StreamNo, ts: number, generation: number): void {
    const split = this.#split[stream];
    if (split.pendingLength === 0) return;
    this.#ensureRoom(stream, 1);
    const pending = this.#lines ? split.pending().slice() : null;
    const run = split.flush(this.#files.size(stream));
    if (!run) return;
    // Keep "every line is followed by one newline" true in the file.
    this.#files.append(stream, NEWLINE);
    const bytes = pending && new Uint8Array(pending.length + 1);
    if (bytes && pending) {
      bytes.set(pending);
      bytes[pending.length] = 10;
    }
    this.#block({ ts, generation, stream }, run, bytes);
  }

  #now(): number {
    const t = this.#clock();
    if (t > this.#lastTs) this.#lastTs = t;
    return this.#lastTs;
  }

  /** Whether starting a new segment would free room: this one holds more than the carried partial lines. */
  #rotatable(): boolean {
    return this.#nextSeq + this.#batchLines > this.#files.base ||
      STREAM_NOS.some((s) => this.#files.size(s) > this.#split[s].pendingLength);
  }

  /** Rotates when `bytes` more on `stream` (and two blocks) would not fit. */
  #ensureRoom(stream: StreamNo, bytes: number): void {
    const usage = this.#files.usage(stream, this.#batchLen * RECORD_BYTES);
    const cost = { data: bytes, index: 2 * RECORD_BYTES };
    if (!fits(usage, cost, this.#maxSeg) && this.#rotatable()) this.#rotate();
  }

  /** Writes the batched block records to the index and advances the sequence. */
  #flushBatch(): void {
    if (this.#batchLen === 0) return;
    this.#files.appendIndex(new Uint8Array(this.#batch.buffer, 0, this.#batchLen * RECORD_BYTES));
    this.#nextSeq += this.#batchLines;
    this.#batchLen = 0;
    this.#batchLines = 0;
  }

  /** Starts the next segment, carrying pending partial lines over (a line never spans segments). */
  #rotate(): void {
    this.#flushBatch();
    const carried: [Uint8Array, Uint8Array, Uint8Array] = [
      this.#split[0].pending(),
      this.#split[1].pending(),
      this.#split[2].pending(),
    ];
    this.#files.rotate(this.#nextSeq, carried, this.#keep, this.#maxSeg >= BACKGROUND_DELETE_BYTES);
  }

  /** Indexes bytes a crash left after the last block of each stream, as lines of the last generation. */
  #recover(tails: RecoveredTail[], clock: () => number): void {
    const ts = Math.max(this.#lastTs, clock());
    this.#lastTs = ts;
    this.#guard(() => {
      this.#lines = null;
      for (const t of tails) {
        const size = this.#files.size(t.stream);
        const start = Math.min(t.from, size);
        if (size <= start) continue;
        const bytes = new Uint8Array(size - start);
        readAt(this.#files.file(t.stream), start, bytes);
        // These bytes are stored already (cuts included): index them as they are, without cutting.
        const split = this.#split[t.stream];
        this.#split[t.stream] = new LineSplitter(Math.max(bytes.length, 4));
        const meta = { ts, generation: t.generation, stream: t.stream };
        for (const run of this.#split[t.stream].feed(bytes, start).runs) {
          this.#block(meta, run, null);
        }
        this.#flushPending(t.stream, ts, t.generation);
        this.#split[t.stream] = split;
      }
    }, undefined);
  }
}

/** The stored bytes of a run: the pending prefix written earlier (just before `base`), then `output`. */
function runBytes(run: Run, prefix: Uint8Array, base: number, output: Uint8Array): Uint8Array {
  const from = run.offset - base;
  const to = from + run.length;
  if (from >= 0) return output.subarray(from, to);
  const bytes = new Uint8Array(run.length);
  bytes.set(prefix.subarray(prefix.length + from));
  bytes.set(output.subarray(0, to), -from);
  return bytes;
}
