/**
 * The log writer used by the daemon: appends each chunk read from a child's
 * pipe to the segment's stream file at once (one write), indexes every line
 * it completes (one index write per chunk), rotates segments by size, and
 * resumes an existing log on open, repairing what a crash left behind.
 */

import {
  FIRST_SEQ,
  FLAG_ANNOTATION,
  RECORD_BYTES,
  segmentFiles,
  STREAM_NAMES,
  type StreamNo,
} from "./index_format.ts";
import { createIndex, FILE_OPTS, type RecoveredTail, resumeIndex } from "./resume.ts";
import { listSegments, readAt, removeIfExists, writeAll } from "./segments.ts";
import { type EmitRecord, LineSplitter } from "./splitter.ts";
import { decodeUtf8, lineText, visibleText } from "./text.ts";

/** One log line as read back or delivered live. */
export interface LogLine {
  /** Position in the process's log: one sequence for both streams, across restarts and segments. */
  seq: number;
  /** When the line completed, ms since the epoch. */
  ts: number;
  /** Stream it came from (annotations are stdout). */
  stream: "stdout" | "stderr";
  /** Generation (spawn count) of the process that printed it. */
  generation: number;
  /** Decoded text (see text.ts for the `\r` rules). */
  text: string;
  /** Whether this is a supervisor annotation. */
  annotation: boolean;
}

/** Options of `LogWriter.open`. */
export interface LogWriterOptions {
  /** Rotate when a stream file would exceed this size (default 50 MiB, at most 1 GiB). */
  maxSegmentBytes?: number;
  /** Segments kept, the current one included (default 5). */
  keepSegments?: number;
  /** Longest single record; longer lines are split (default 64 KiB). */
  maxLineBytes?: number;
  /** Clock in ms since the epoch (tests and benchmarks inject one); default `Date.now`. */
  clock?: () => number;
}

/** Default size limit of one stream file of a segment. */
export const DEFAULT_MAX_SEGMENT_BYTES = 50 * 1024 * 1024;
/** Default number of segments kept. */
export const DEFAULT_KEEP_SEGMENTS = 5;
/** Default longest record. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = new Uint8Array([10]);
const encoder = new TextEncoder();

interface StreamFile {
  file: Deno.FsFile;
  size: number;
  split: LineSplitter;
}

/** Appends a process's output to its log directory. One writer per directory at a time. */
export class LogWriter {
  /** Called with the decoded lines completed by each write/annotate/endStream, when set. */
  onLines: ((lines: LogLine[]) => void) | null = null;

  readonly #dir: string;
  readonly #maxSeg: number;
  readonly #keep: number;
  readonly #clock: () => number;
  readonly #streams: [StreamFile, StreamFile];
  #seg: number;
  #idx: Deno.FsFile;
  #nextSeq: number;
  #lastTs: number;
  #batch = new DataView(new ArrayBuffer(RECORD_BYTES * 256));
  #batchLen = 0;
  #lines: LogLine[] | null = null;
  #closed = false;
  #gen: [number, number] = [0, 0];
  #error: Error | null = null;
  #chunk: { chunk: Uint8Array; text: string | null } | null = null;

  private constructor(
    dir: string,
    opts: LogWriterOptions,
    seg: number,
    idx: Deno.FsFile,
    nextSeq: number,
    lastTs: number,
  ) {
    this.#dir = dir;
    this.#maxSeg = Math.min(
      Math.max(opts.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES, 1),
      1 << 30,
    );
    this.#keep = Math.max(1, Math.floor(opts.keepSegments ?? DEFAULT_KEEP_SEGMENTS));
    this.#clock = opts.clock ?? Date.now;
    const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#seg = seg;
    this.#idx = idx;
    this.#nextSeq = nextSeq;
    this.#lastTs = lastTs;
    const f = segmentFiles(seg);
    this.#streams = [
      this.#openStream(`${dir}/${f.out}`, maxLine),
      this.#openStream(`${dir}/${f.err}`, maxLine),
    ];
  }

  /** Opens (creating if needed, mode 0700/0600) the log in `dir`, resuming its newest segment. */
  static open(dir: string, opts: LogWriterOptions = {}): LogWriter {
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const segs = listSegments(dir);
    const clock = opts.clock ?? Date.now;
    if (segs.length === 0) {
      return new LogWriter(dir, opts, 1, createIndex(dir, 1, FIRST_SEQ), FIRST_SEQ, 0);
    }
    const newest = segs[segs.length - 1];
    const resumed = resumeIndex(dir, newest, segs.length > 1 ? segs[segs.length - 2] : null);
    if (!resumed.ok) {
      // An index we cannot read: leave it alone and start the next segment.
      const idx = createIndex(dir, newest + 1, resumed.nextSeq);
      return new LogWriter(dir, opts, newest + 1, idx, resumed.nextSeq, 0);
    }
    const w = new LogWriter(dir, opts, newest, resumed.file, resumed.nextSeq, resumed.lastTs);
    for (const t of resumed.tails) w.#gen[t.stream] = t.generation;
    w.#recover(resumed.tails, clock);
    return w;
  }

  /** Sequence number the next line will get. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** Current segment number (for tests and diagnostics). */
  get segment(): number {
    return this.#seg;
  }

  /**
   * Appends a chunk read from stream `stream`. The bytes reach the stream file
   * immediately; completed lines are indexed with one write. Returns the
   * number of lines (records) completed.
   */
  write(stream: StreamNo, chunk: Uint8Array, generation: number): number {
    if (this.#closed || chunk.length === 0) return 0;
    this.#gen[stream] = generation;
    try {
      return this.#write(stream, chunk, generation);
    } catch (e) {
      this.#fail(e);
      return 0;
    }
  }

  #write(stream: StreamNo, chunk: Uint8Array, generation: number): number {
    let st = this.#streams[stream];
    if (st.size + chunk.length > this.#maxSeg && st.size > st.split.pendingLength) {
      this.#rotate();
      st = this.#streams[stream];
    }
    const ts = this.#now();
    this.#begin();
    if (this.#lines) {
      // Decode the chunk once; pure-ASCII chunks then give each line's text by slicing.
      const text = decodeUtf8(chunk);
      this.#chunk = { chunk, text: text.length === chunk.length ? text : null };
    }
    const fed = st.split.feed(
      chunk,
      st.size,
      this.#emitter(ts, generation, stream),
      this.#lines !== null,
    );
    this.#chunk = null;
    // Data first, then its index: a crash in between leaves bytes that the next open indexes.
    writeAll(st.file, fed.output);
    st.size += fed.output.length;
    this.#commit();
    return fed.count;
  }

  /** Indexes a pending partial line of `stream` as a line (flag 4); call when the pipe closes. */
  endStream(stream: StreamNo, generation: number): void {
    if (this.#closed) return;
    try {
      this.#begin();
      this.#flushPending(stream, this.#now(), generation);
      this.#commit();
    } catch (e) {
      this.#fail(e);
    }
  }

  /** Writes a supervisor annotation line (newlines in `text` become spaces), flag 1, on stdout. */
  annotate(text: string, generation: number): void {
    if (this.#closed) return;
    try {
      this.#annotate(text, generation);
    } catch (e) {
      this.#fail(e);
    }
  }

  #annotate(text: string, generation: number): void {
    const body = encoder.encode(text.replace(/[\r\n]+/g, " "));
    let st = this.#streams[0];
    if (st.size + body.length + 2 > this.#maxSeg && st.size > st.split.pendingLength) {
      this.#rotate();
      st = this.#streams[0];
    }
    const ts = this.#now();
    this.#begin();
    // A partial stdout line is completed first, so the annotation stands on its own line.
    this.#flushPending(0, ts, generation);
    const at = st.size;
    const bytes = new Uint8Array(body.length + 1);
    bytes.set(body);
    bytes[body.length] = 10;
    writeAll(st.file, bytes);
    st.size += bytes.length;
    this.#emitter(ts, generation, 0)(at, body.length, FLAG_ANNOTATION, body, 0);
    this.#commit();
  }

  /**
   * The last I/O error met (disk full, file removed...), or null. Writing
   * never throws: capture goes on and a later open repairs the index.
   */
  get lastError(): Error | null {
    return this.#error;
  }

  /** Indexes pending partial lines (flag 4, generation of their last write) and closes the files. */
  close(): void {
    if (this.#closed) return;
    for (const s of [0, 1] as const) this.endStream(s, this.#gen[s]);
    this.#closed = true;
    for (const f of [this.#streams[0].file, this.#streams[1].file, this.#idx]) {
      try {
        f.close();
      } catch {
        // Already closed by a rotation that failed half-way.
      }
    }
  }

  /** Keeps the error and resynchronizes with the files (a partial line in progress is dropped). */
  #fail(e: unknown): void {
    this.#error = e instanceof Error ? e : new Error(String(e));
    this.#batchLen = 0;
    this.#lines = null;
    this.#chunk = null;
    for (const st of this.#streams) {
      st.split.discard();
      try {
        st.size = st.file.statSync().size;
      } catch {
        // The file is gone; the next write fails again and is reported the same way.
      }
    }
  }

  #openStream(path: string, maxLine: number): StreamFile {
    const file = Deno.openSync(path, FILE_OPTS);
    return { file, size: file.statSync().size, split: new LineSplitter(maxLine) };
  }

  #now(): number {
    const t = this.#clock();
    if (t > this.#lastTs) this.#lastTs = t;
    return this.#lastTs;
  }

  #begin(): void {
    this.#batchLen = 0;
    this.#lines = this.onLines ? [] : null;
  }

  #emitter(ts: number, generation: number, stream: StreamNo): EmitRecord {
    return (offset, length, flags, bytes, chunkStart) => {
      const need = (this.#batchLen + 1) * RECORD_BYTES;
      if (need > this.#batch.byteLength) {
        const grown = new Uint8Array(need * 2);
        grown.set(new Uint8Array(this.#batch.buffer, 0, this.#batchLen * RECORD_BYTES));
        this.#batch = new DataView(grown.buffer);
      }
      const dv = this.#batch;
      const at = this.#batchLen * RECORD_BYTES;
      dv.setFloat64(at, ts, true);
      dv.setUint32(at + 8, offset, true);
      dv.setUint32(at + 12, length, true);
      dv.setUint32(at + 16, generation, true);
      dv.setUint8(at + 20, stream);
      dv.setUint8(at + 21, flags);
      dv.setUint16(at + 22, 0, true);
      if (this.#lines) {
        this.#lines.push({
          seq: this.#nextSeq + this.#batchLen,
          ts,
          stream: STREAM_NAMES[stream],
          generation,
          text: this.#text(chunkStart, length, bytes),
          annotation: (flags & FLAG_ANNOTATION) !== 0,
        });
      }
      this.#batchLen++;
    };
  }

  /** Text of a record: from its copied bytes, or sliced from the current chunk (decoded once). */
  #text(chunkStart: number, length: number, bytes: Uint8Array | null): string {
    if (bytes) return lineText(bytes);
    const c = this.#chunk;
    if (!c) return "";
    if (c.text !== null) return visibleText(c.text.slice(chunkStart, chunkStart + length));
    return lineText(c.chunk.subarray(chunkStart, chunkStart + length));
  }

  #flushPending(stream: StreamNo, ts: number, generation: number): boolean {
    const st = this.#streams[stream];
    const flushed = st.split.flush(
      st.size,
      this.#emitter(ts, generation, stream),
      this.#lines !== null,
    );
    if (flushed) {
      // Keep "every record is followed by one newline" true in the file.
      writeAll(st.file, NEWLINE);
      st.size += 1;
    }
    return flushed;
  }

  #commit(): void {
    const n = this.#batchLen;
    const lines = this.#lines;
    this.#lines = null;
    if (n === 0) return;
    writeAll(this.#idx, new Uint8Array(this.#batch.buffer, 0, n * RECORD_BYTES));
    this.#nextSeq += n;
    this.#batchLen = 0;
    if (lines && lines.length && this.onLines) this.onLines(lines);
  }

  /** Starts segment N+1, carrying pending partial lines over, and deletes segments beyond `keep`. */
  #rotate(): void {
    const next = this.#seg + 1;
    const idx = createIndex(this.#dir, next, this.#nextSeq);
    this.#idx.close();
    this.#idx = idx;
    const f = segmentFiles(next);
    const paths = [`${this.#dir}/${f.out}`, `${this.#dir}/${f.err}`];
    for (let s = 0; s < 2; s++) {
      const st = this.#streams[s];
      st.file.close();
      removeIfExists(paths[s]);
      st.file = Deno.openSync(paths[s], FILE_OPTS);
      const carried = st.split.pending();
      if (carried.length) writeAll(st.file, carried);
      st.size = carried.length;
    }
    this.#seg = next;
    for (const n of listSegments(this.#dir)) {
      if (n > next - this.#keep) continue;
      const old = segmentFiles(n);
      for (const name of [old.idx, old.out, old.err]) removeIfExists(`${this.#dir}/${name}`);
    }
  }

  /** Indexes bytes a crash left after the last record of each stream, as lines of the last generation. */
  #recover(tails: RecoveredTail[], clock: () => number): void {
    const ts = Math.max(this.#lastTs, clock());
    this.#lastTs = ts;
    this.#begin();
    for (const t of tails) {
      const st = this.#streams[t.stream];
      const start = Math.min(t.from, st.size);
      if (st.size <= start) continue;
      const bytes = new Uint8Array(st.size - start);
      readAt(st.file, start, bytes);
      // These bytes are stored already (cuts included): index them as they are, without cutting.
      const split = st.split;
      st.split = new LineSplitter(Math.max(bytes.length, 4));
      st.split.feed(bytes, start, this.#emitter(ts, t.generation, t.stream), false);
      this.#flushPending(t.stream, ts, t.generation);
      st.split = split;
    }
    this.#commit();
  }
}
