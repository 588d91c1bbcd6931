/**
 * The on-disk layout of a log segment's index (`idx.N.bin`): a 16-byte header
 * (magic "APIX", u32 version, f64 base sequence) followed by fixed 32-byte
 * little-endian block records. A block is a run of consecutive lines of one
 * stream stored back to back in its stream file, written together (one
 * chunk read from a pipe, usually): they share a timestamp, a generation and
 * flags, and each is followed by exactly one "\n", so the lines inside a
 * block are found by scanning for newlines. The index therefore grows with
 * the number of chunks written, not with the number of lines. Pure encoding
 * and decoding only; file I/O lives in the writer and the reader.
 */

/** Size of the index header in bytes. */
export const HEADER_BYTES = 16;
/** Size of one block record in bytes. */
export const RECORD_BYTES = 32;
/** Index format version written in the header (1 was one 24-byte record per line). */
export const INDEX_VERSION = 2;
/** First sequence number of a brand-new log. */
export const FIRST_SEQ = 1;

/** Block flag: a supervisor annotation (`[agent-procs] ...`), always a block of its own. */
export const FLAG_ANNOTATION = 1;
/** Block flag: lines cut because they were too long; more of each line follows. */
export const FLAG_SPLIT = 2;
/** Block flag: an unterminated line flushed when its stream ended (a block of its own). */
export const FLAG_UNTERMINATED = 4;

/** Stream number as stored: 0 stdout, 1 stderr, 2 browser (the page's console, through the proxy). */
export type StreamNo = 0 | 1 | 2;

/** Stream names, indexed by stream number. */
export const STREAM_NAMES = ["stdout", "stderr", "browser"] as const;

/** A stream's name. */
export type StreamName = typeof STREAM_NAMES[number];

/** True when `v` names a stream. */
export function isStreamName(v: unknown): v is StreamName {
  return v === "stdout" || v === "stderr" || v === "browser";
}

/** Every stream number. */
export const STREAM_NOS: readonly StreamNo[] = [0, 1, 2];

/** The stream number stored in a record's stream byte (an unknown value reads as stderr). */
export function streamNo(byte: number): StreamNo {
  return byte === 0 ? 0 : byte === 2 ? 2 : 1;
}

/** A decoded block record. */
export interface BlockRecord {
  /** Time the block's lines completed, ms since the epoch (non-decreasing in a log). */
  ts: number;
  /** Sequence of the block's first line minus the segment's base sequence. */
  first: number;
  /** Number of lines in the block (at least 1). */
  count: number;
  /** Byte offset of the block's first line in its segment's stream file. */
  offset: number;
  /** Bytes of the block in the stream file: its lines and their newlines. */
  length: number;
  /** Generation (spawn count) of the process that wrote the lines. */
  generation: number;
  /** Stream the lines belong to. */
  stream: StreamNo;
  /** Bit set of FLAG_* values (shared by every line of the block). */
  flags: number;
}

/** A parsed index header, or why it could not be parsed. */
export type HeaderResult =
  | { ok: true; baseSeq: number }
  | { ok: false; reason: string };

const MAGIC = [0x41, 0x50, 0x49, 0x58]; // "APIX"

/** Encodes an index header for a segment whose first line has sequence `baseSeq`. */
export function encodeHeader(baseSeq: number): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, INDEX_VERSION, true);
  dv.setFloat64(8, baseSeq, true);
  return out;
}

/** Parses an index header from the first bytes of an index file. */
export function parseHeader(bytes: Uint8Array): HeaderResult {
  if (bytes.length < HEADER_BYTES) return { ok: false, reason: "truncated header" };
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== MAGIC[i]) return { ok: false, reason: "bad magic (not an agent-procs index)" };
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const version = dv.getUint32(4, true);
  if (version !== INDEX_VERSION) {
    return { ok: false, reason: `unsupported index version ${version}` };
  }
  const baseSeq = dv.getFloat64(8, true);
  if (!Number.isSafeInteger(baseSeq) || baseSeq < 0) {
    return { ok: false, reason: `bad base sequence ${baseSeq}` };
  }
  return { ok: true, baseSeq };
}

/** Number of complete records in an index file of `fileBytes` bytes (a torn tail is ignored). */
export function recordCount(fileBytes: number): number {
  return fileBytes < HEADER_BYTES ? 0 : Math.floor((fileBytes - HEADER_BYTES) / RECORD_BYTES);
}

/** Writes one block record at byte `at` of `dv`. */
export function putRecord(dv: DataView, at: number, r: BlockRecord): void {
  dv.setFloat64(at, r.ts, true);
  dv.setUint32(at + 8, r.first, true);
  dv.setUint32(at + 12, r.count, true);
  dv.setUint32(at + 16, r.offset, true);
  dv.setUint32(at + 20, r.length, true);
  dv.setUint32(at + 24, r.generation, true);
  dv.setUint8(at + 28, r.stream);
  dv.setUint8(at + 29, r.flags);
  dv.setUint16(at + 30, 0, true);
}

/** Reads one block record at byte `at` of `dv`. */
export function getRecord(dv: DataView, at: number): BlockRecord {
  return {
    ts: dv.getFloat64(at, true),
    first: dv.getUint32(at + 8, true),
    count: dv.getUint32(at + 12, true),
    offset: dv.getUint32(at + 16, true),
    length: dv.getUint32(at + 20, true),
    generation: dv.getUint32(at + 24, true),
    stream: streamNo(dv.getUint8(at + 28)),
    flags: dv.getUint8(at + 29),
  };
}

/** Byte offset just past a block (its last line's newline) in its stream file. */
export function blockEnd(r: { offset: number; length: number }): number {
  return r.offset + r.length;
}

/** File names of segment `n`; `data` holds the stream files by stream number. */
export function segmentFiles(
  n: number,
): { out: string; err: string; web: string; idx: string; data: [string, string, string] } {
  const out = `out.${n}.log`, err = `err.${n}.log`, web = `web.${n}.log`;
  return { out, err, web, idx: `idx.${n}.bin`, data: [out, err, web] };
}

/** The segment number of a log file name, or null for anything else. */
export function segmentNumber(fileName: string): number | null {
  const m = /^(?:out|err|web)\.([1-9]\d{0,9})\.log$|^idx\.([1-9]\d{0,9})\.bin$/.exec(fileName);
  if (!m) return null;
  return Number(m[1] ?? m[2]);
}
