/**
 * The on-disk layout of a log segment's index (`idx.N.bin`): a 16-byte header
 * (magic "APIX", u32 version, f64 base sequence) followed by fixed 24-byte
 * little-endian records, one per stored line. Pure encoding and decoding only;
 * file I/O lives in the writer and the reader.
 */

/** Size of the index header in bytes. */
export const HEADER_BYTES = 16;
/** Size of one index record in bytes. */
export const RECORD_BYTES = 24;
/** Index format version written in the header. */
export const INDEX_VERSION = 1;
/** First sequence number of a brand-new log. */
export const FIRST_SEQ = 1;

/** Record flag: a supervisor annotation (`[agent-procs] ...`). */
export const FLAG_ANNOTATION = 1;
/** Record flag: the line was split because it was too long; more of it follows. */
export const FLAG_SPLIT = 2;
/** Record flag: an unterminated line flushed when its stream ended. */
export const FLAG_UNTERMINATED = 4;

/** Stream number as stored: 0 stdout, 1 stderr. */
export type StreamNo = 0 | 1;

/** Stream names, indexed by stream number. */
export const STREAM_NAMES = ["stdout", "stderr"] as const;

/** A decoded index record (without its sequence number, which is positional). */
export interface IndexRecord {
  /** Time the line completed, ms since the epoch (non-decreasing in a log). */
  ts: number;
  /** Byte offset of the line in its segment's stream file. */
  offset: number;
  /** Length of the line in bytes, without the newline. */
  length: number;
  /** Generation (spawn count) of the process that wrote it. */
  generation: number;
  /** Stream the line belongs to. */
  stream: StreamNo;
  /** Bit set of FLAG_* values. */
  flags: number;
}

/** A parsed index header, or why it could not be parsed. */
export type HeaderResult =
  | { ok: true; baseSeq: number }
  | { ok: false; reason: string };

const MAGIC = [0x41, 0x50, 0x49, 0x58]; // "APIX"

/** Encodes an index header for a segment whose first record has sequence `baseSeq`. */
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

/** Writes one record at byte `at` of `dv`. */
export function putRecord(dv: DataView, at: number, r: IndexRecord): void {
  dv.setFloat64(at, r.ts, true);
  dv.setUint32(at + 8, r.offset, true);
  dv.setUint32(at + 12, r.length, true);
  dv.setUint32(at + 16, r.generation, true);
  dv.setUint8(at + 20, r.stream);
  dv.setUint8(at + 21, r.flags);
  dv.setUint16(at + 22, 0, true);
}

/** Reads one record at byte `at` of `dv`. */
export function getRecord(dv: DataView, at: number): IndexRecord {
  return {
    ts: dv.getFloat64(at, true),
    offset: dv.getUint32(at + 8, true),
    length: dv.getUint32(at + 12, true),
    generation: dv.getUint32(at + 16, true),
    stream: (dv.getUint8(at + 20) & 1) as StreamNo,
    flags: dv.getUint8(at + 21),
  };
}

/** Byte offset just past a record's line in its stream file: every record is followed by one "\n". */
export function recordEnd(r: { offset: number; length: number }): number {
  return r.offset + r.length + 1;
}

/** File names of segment `n`. */
export function segmentFiles(n: number): { out: string; err: string; idx: string } {
  return { out: `out.${n}.log`, err: `err.${n}.log`, idx: `idx.${n}.bin` };
}

/** The segment number of a log file name, or null for anything else. */
export function segmentNumber(fileName: string): number | null {
  const m = /^(?:out|err)\.([1-9]\d{0,9})\.log$|^idx\.([1-9]\d{0,9})\.bin$/.exec(fileName);
  if (!m) return null;
  return Number(m[1] ?? m[2]);
}
