/**
 * Opening an existing log for appending: finds where the newest segment's
 * index ends (trimming a record torn by a crash), the sequence to continue
 * from, and the bytes each stream file holds past its last indexed block
 * (written just before a crash), which the writer then indexes.
 */

import {
  blockEnd,
  type BlockRecord,
  encodeHeader,
  FIRST_SEQ,
  getRecord,
  HEADER_BYTES,
  parseHeader,
  RECORD_BYTES,
  recordCount,
  segmentFiles,
  type StreamNo,
} from "./index_format.ts";
import { fileSize, readAt, removeIfExists, writeAll } from "./segments.ts";

/** Open options of every log file: appended to, readable for recovery, private. */
export const FILE_OPTS = { read: true, create: true, append: true, mode: 0o600 } as const;

/** Bytes of one stream past its last indexed line, and the generation to give them. */
export interface RecoveredTail {
  stream: StreamNo;
  from: number;
  generation: number;
}

/** The newest segment reopened for appending, or the sequence a fresh segment must start at. */
export type Resumed =
  | {
    ok: true;
    file: Deno.FsFile;
    baseSeq: number;
    nextSeq: number;
    lastTs: number;
    tails: RecoveredTail[];
  }
  | { ok: false; nextSeq: number };

/** Creates (replacing) segment `seg`'s index with its header. */
export function createIndex(dir: string, seg: number, baseSeq: number): Deno.FsFile {
  const path = `${dir}/${segmentFiles(seg).idx}`;
  removeIfExists(path);
  const file = Deno.openSync(path, FILE_OPTS);
  writeAll(file, encodeHeader(baseSeq));
  return file;
}

/** Sequence after the last line of segment `seg`, or null when its index is unusable. */
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
    if (!h.ok) return null;
    const count = recordCount(file.statSync().size);
    if (count === 0) return h.baseSeq;
    const rec = new Uint8Array(RECORD_BYTES);
    readAt(file, HEADER_BYTES + (count - 1) * RECORD_BYTES, rec);
    const last = getRecord(new DataView(rec.buffer), 0);
    return h.baseSeq + last.first + last.count;
  } finally {
    file.close();
  }
}

/** Opens the newest segment's index for appending: trims a torn record, finds what to recover. */
export function resumeIndex(dir: string, seg: number, prev: number | null): Resumed {
  const path = `${dir}/${segmentFiles(seg).idx}`;
  const size = fileSize(path);
  const prevEnd = prev === null ? FIRST_SEQ : endSeqOf(dir, prev) ?? FIRST_SEQ;
  if (size < HEADER_BYTES) {
    // Crash while creating the segment: write its header now.
    return {
      ok: true,
      file: createIndex(dir, seg, prevEnd),
      baseSeq: prevEnd,
      nextSeq: prevEnd,
      lastTs: 0,
      tails: [],
    };
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
  if (HEADER_BYTES + count * RECORD_BYTES !== size) {
    file.truncateSync(HEADER_BYTES + count * RECORD_BYTES);
  }
  file.close();
  const last = lastRecords(path, count);
  const appendFile = Deno.openSync(path, FILE_OPTS);
  const tails: RecoveredTail[] = [];
  for (const s of [0, 1] as const) {
    const r = last.perStream[s];
    tails.push({
      stream: s,
      from: r ? blockEnd(r) : 0,
      generation: r?.generation ?? last.generation,
    });
  }
  const end = last.last ? last.last.first + last.last.count : 0;
  return {
    ok: true,
    file: appendFile,
    baseSeq: h.baseSeq,
    nextSeq: h.baseSeq + end,
    lastTs: last.last?.ts ?? 0,
    tails,
  };
}

interface LastRecords {
  last: BlockRecord | null;
  generation: number;
  perStream: [BlockRecord | null, BlockRecord | null];
}

/** The last block overall and of each stream, reading the index backwards in pages. */
function lastRecords(path: string, count: number): LastRecords {
  const out: LastRecords = { last: null, generation: 0, perStream: [null, null] };
  if (count === 0) return out;
  const file = Deno.openSync(path);
  try {
    const per = 4096;
    const buf = new Uint8Array(per * RECORD_BYTES);
    const dv = new DataView(buf.buffer);
    let hi = count;
    while (hi > 0 && (out.perStream[0] === null || out.perStream[1] === null)) {
      const lo = Math.max(0, hi - per);
      readAt(file, HEADER_BYTES + lo * RECORD_BYTES, buf.subarray(0, (hi - lo) * RECORD_BYTES));
      for (let i = hi - lo - 1; i >= 0; i--) {
        const r = getRecord(dv, i * RECORD_BYTES);
        if (out.last === null) {
          out.last = r;
          out.generation = r.generation;
        }
        // The browser stream is written in whole lines (one write each): it has no tail to recover.
        if (r.stream !== 2 && out.perStream[r.stream] === null) out.perStream[r.stream] = r;
        if (out.perStream[0] && out.perStream[1]) break;
      }
      hi = lo;
    }
  } finally {
    file.close();
  }
  return out;
}
