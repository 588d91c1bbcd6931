/**
 * The log writer used by the daemon: appends each chunk read from a child's
 * pipe to the segment's stream file at once (one write), indexes every line
 * it completes (one index write per chunk), rotates segments by size, and
 * resumes an existing log on open, repairing what a crash left behind.
 */

import {
  encodeHeader,
  FIRST_SEQ,
  FLAG_ANNOTATION,
  getRecord,
  HEADER_BYTES,
  parseHeader,
  RECORD_BYTES,
  recordCount,
  recordEnd,
  segmentFiles,
  STREAM_NAMES,
  type StreamNo,
} from "./index_format.ts";
import { fileSize, listSegments, readAt, removeIfExists, writeAll } from "./segments.ts";
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
const FILE_OPTS = { create: true, append: true, mode: 0o600 } as const;

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
  #chunk: { chunk: Uint8Array; base: number; text: string | null } | null = null;

  private constructor(
    dir: string,
    opts: LogWriterOptions,
    seg: number,
    idx: Deno.FsFile,
    nextSeq: number,
    lastTs: number,
  ) {
    this.#dir = dir;
    this.#maxSeg = Math.min(Math.max(opts.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES, 1), 1 << 30);
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
    const base = st.size;
    writeAll(st.file, chunk);
    st.size += chunk.length;
    const ts = this.#now();
    this.#begin();
    if (this.#lines) {
      // Decode the chunk once; pure-ASCII chunks then give each line's text by slicing.
      const text = decodeUtf8(chunk);
      this.#chunk = { chunk, base, text: text.length === chunk.length ? text : null };
    }
    const n = st.split.feed(chunk, base, this.#emitter(ts, generation, stream), this.#lines !== null);
    this.#chunk = null;
    this.#commit();
    return n;
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
    this.#emitter(ts, generation, 0)(at, body.length, FLAG_ANNOTATION, body);
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
    for (const st of this.#streams) st.file.close();
    this.#idx.close();
  }

  #fail(e: unknown): void {
    this.#error = e instanceof Error ? e : new Error(String(e));
    this.#batchLen = 0;
    this.#lines = null;
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
    return (offset, length, flags, bytes) => {
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
          text: this.#text(offset, length, bytes),
          annotation: (flags & FLAG_ANNOTATION) !== 0,
        });
      }
      this.#batchLen++;
    };
  }

  /** Text of a record: from its copied bytes, or sliced from the current chunk (decoded once). */
  #text(offset: number, length: number, bytes: Uint8Array | null): string {
    if (bytes) return lineText(bytes);
    const c = this.#chunk;
    if (!c) return "";
    const rel = offset - c.base;
    if (c.text !== null) return visibleText(c.text.slice(rel, rel + length));
    return lineText(c.chunk.subarray(rel, rel + length));
  }

  #flushPending(stream: StreamNo, ts: number, generation: number): boolean {
    const st = this.#streams[stream];
    const flushed = st.split.flush(st.size, this.#emitter(ts, generation, stream), this.#lines !== null);
    if (flushed) {
      // Keep "every unsplit record is followed by a newline" true in the file.
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
      st.split.feed(bytes, start, this.#emitter(ts, t.generation, t.stream), false);
      this.#flushPending(t.stream, ts, t.generation);
    }
    this.#commit();
  }
}

interface RecoveredTail {
  stream: StreamNo;
  from: number;
  generation: number;
}

type Resumed =
  | { ok: true; file: Deno.FsFile; nextSeq: number; lastTs: number; tails: RecoveredTail[] }
  | { ok: false; nextSeq: number };

function createIndex(dir: string, seg: number, baseSeq: number): Deno.FsFile {
  const path = `${dir}/${segmentFiles(seg).idx}`;
  removeIfExists(path);
  const file = Deno.openSync(path, FILE_OPTS);
  writeAll(file, encodeHeader(baseSeq));
  return file;
}

/** Sequence after the last record of segment `seg`, or null when its index is unusable. */
function endSeqOf(dir: string, seg: number): number | null {
  const path = `${dir}/${segmentFiles(seg).idx}`;
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path);
  } catch {
    return null;
  }
  try {
    const head = new Uint8Array(HEADER_BYTES);
    readAt(file, 0, head);
    const h = parseHeader(head);
    return h.ok ? h.baseSeq + recordCount(file.statSync().size) : null;
  } finally {
    file.close();
  }
}

/** Opens the newest segment's index for appending: trims a torn record, finds what to recover. */
function resumeIndex(dir: string, seg: number, prev: number | null): Resumed {
  const path = `${dir}/${segmentFiles(seg).idx}`;
  const size = fileSize(path);
  const prevEnd = prev === null ? FIRST_SEQ : endSeqOf(dir, prev) ?? FIRST_SEQ;
  if (size < HEADER_BYTES) {
    // Crash while creating the segment: write its header now.
    return { ok: true, file: createIndex(dir, seg, prevEnd), nextSeq: prevEnd, lastTs: 0, tails: [] };
  }
  const file = Deno.openSync(path, { read: true, write: true });
  const head = new Uint8Array(HEADER_BYTES);
  readAt(file, 0, head);
  const h = parseHeader(head);
  if (!h.ok) {
    file.close();
    return { ok: false, nextSeq: prevEnd };
  }
  const count = recordCount(size);
  if (HEADER_BYTES + count * RECORD_BYTES !== size) file.truncateSync(HEADER_BYTES + count * RECORD_BYTES);
  file.close();
  const last = lastRecords(path, count);
  const appendFile = Deno.openSync(path, FILE_OPTS);
  const tails: RecoveredTail[] = [];
  for (const s of [0, 1] as const) {
    const r = last.perStream[s];
    tails.push({ stream: s, from: r ? recordEnd(r) : 0, generation: r?.generation ?? last.generation });
  }
  return { ok: true, file: appendFile, nextSeq: h.baseSeq + count, lastTs: last.ts, tails };
}

interface LastRecords {
  ts: number;
  generation: number;
  perStream: [ReturnType<typeof getRecord> | null, ReturnType<typeof getRecord> | null];
}

/** The last record overall and of each stream, reading the index backwards in blocks. */
function lastRecords(path: string, count: number): LastRecords {
  const out: LastRecords = { ts: 0, generation: 0, perStream: [null, null] };
  if (count === 0) return out;
  const file = Deno.openSync(path);
  try {
    const per = 4096;
    const buf = new Uint8Array(per * RECORD_BYTES);
    const dv = new DataView(buf.buffer);
    let hi = count;
    let first = true;
    while (hi > 0 && (out.perStream[0] === null || out.perStream[1] === null)) {
      const lo = Math.max(0, hi - per);
      readAt(file, HEADER_BYTES + lo * RECORD_BYTES, buf.subarray(0, (hi - lo) * RECORD_BYTES));
      for (let i = hi - lo - 1; i >= 0; i--) {
        const r = getRecord(dv, i * RECORD_BYTES);
        if (first) {
          out.ts = r.ts;
          out.generation = r.generation;
          first = false;
        }
        if (out.perStream[r.stream] === null) out.perStream[r.stream] = r;
        if (out.perStream[0] && out.perStream[1]) break;
      }
      hi = lo;
    }
  } finally {
    file.close();
  }
  return out;
}
