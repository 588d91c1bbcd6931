/**
 * Fast `--grep`: instead of decoding every line, a stream file is read in
 * 4 MiB blocks cut at newlines, each block is decoded once and searched as a
 * whole, and only the lines around hits are mapped back to index records
 * (by byte offset) and checked exactly. Works forwards over a range, or
 * backwards from its end until enough matches are found for `--tail`.
 */

import type { StreamNo } from "./index_format.ts";
import type { LogView, RecordRef } from "./log_view.ts";
import type { LineMatcher } from "./pattern.ts";
import { readAt } from "./segments.ts";
import { decodeUtf8, lineText } from "./text.ts";

/** Size of one scanned block. */
export const BLOCK_BYTES = 4 << 20;

const NL = 10;

let blockBytes = BLOCK_BYTES;

/** Sets the scan block size (tests use tiny blocks to cross block boundaries); returns the previous one. */
export function setBlockBytes(n: number): number {
  const prev = blockBytes;
  blockBytes = Math.max(16, Math.floor(n));
  return prev;
}

/**
 * Byte ranges [start, end) (pairs, relative to `bytes`) of the lines of a
 * block that may match: the lines holding a `find` hit in the decoded
 * `text`. Lines are separated by "\n"; when the block is not pure ASCII the
 * hit's line is found by counting newlines, which decoding preserves.
 */
export function candidateLines(bytes: Uint8Array, text: string, m: LineMatcher): number[] {
  const out: number[] = [];
  const ascii = text.length === bytes.length;
  let strLine = 0;
  let strPos = 0;
  let byteLine = 0;
  let bytePos = 0;
  let from = 0;
  while (from <= text.length) {
    const i = m.find(text, from);
    if (i < 0) break;
    const ls = i === 0 ? 0 : text.lastIndexOf("\n", i - 1) + 1;
    let le = text.indexOf("\n", i);
    if (le < 0) le = text.length;
    if (ascii) {
      out.push(ls, le);
    } else {
      while (true) {
        const nl = text.indexOf("\n", strPos);
        if (nl < 0 || nl >= ls) break;
        strLine++;
        strPos = nl + 1;
      }
      while (byteLine < strLine) {
        bytePos = bytes.indexOf(NL, bytePos) + 1;
        byteLine++;
      }
      let be = bytes.indexOf(NL, bytePos);
      if (be < 0) be = bytes.length;
      out.push(bytePos, be);
    }
    from = le + 1;
  }
  return out;
}

/** What to search: records [recLo, recHi) of one stream of one segment of a view. */
export interface GrepTarget {
  view: LogView;
  seg: number;
  stream: StreamNo;
  recLo: number;
  recHi: number;
  matcher: LineMatcher;
  /** Extra per-record filter (generation). */
  accept: (r: RecordRef) => boolean;
}

/**
 * Matching records of the target in order. With `limit`, scans backwards
 * from the end and stops once `limit` matches are found, returning the
 * last `limit` of them.
 */
export function grepStream(t: GrepTarget, limit: number | null): RecordRef[] {
  const { view, seg, stream: s } = t;
  const ix = view.segments[seg].index;
  const file = view.segments[seg].data[s];
  if (!file || t.recLo >= t.recHi) return [];
  const first = ix.nextOfStream(t.recLo, s, t.recHi);
  if (first < 0) return [];
  const last = ix.prevOfStream(t.recHi - 1, s, t.recLo);
  const a = ix.offset(first);
  const z = Math.max(a, ix.offset(last) + ix.record(last).length);
  const state: ScanState = { cursor: -1 };
  if (limit === null) {
    const out: RecordRef[] = [];
    for (const [block, off] of forwardBlocks(file, a, z)) {
      out.push(...scanBlock(t, block, off, state));
    }
    return out;
  }
  const blocks: RecordRef[][] = [];
  let found = 0;
  for (const [block, off] of backwardBlocks(file, a, z)) {
    if (found >= limit) break;
    state.cursor = -1;
    const hits = scanBlock(t, block, off, state, limit - found);
    blocks.push(hits);
    found += hits.length;
  }
  const all = blocks.reverse().flat();
  return all.length <= limit ? all : all.slice(all.length - limit);
}

/** Largest block when a line has no newline within a normal block. */
function maxBlock(): number {
  return blockBytes * 8;
}

/**
 * Blocks [bytes, file offset] covering [a, z) in order, each cut after a
 * whole line (the newline itself is left out). Stored lines are at most
 * maxLineBytes long, far below a block; should a file hold a longer run
 * without newlines anyway (damaged data), it is cut, and a match across the
 * cut may be missed.
 */
function* forwardBlocks(file: Deno.FsFile, a: number, z: number): Generator<[Uint8Array, number]> {
  let buf = new Uint8Array(Math.max(16, Math.min(blockBytes, z - a)));
  let pos = a;
  while (true) {
    const want = Math.min(buf.length, z - pos);
    const len = readAt(file, pos, buf.subarray(0, want));
    if (len < want || pos + len >= z) {
      yield [buf.subarray(0, len), pos];
      return;
    }
    const nl = buf.subarray(0, len).lastIndexOf(NL);
    if (nl < 0 && buf.length < maxBlock()) {
      buf = new Uint8Array(buf.length * 2);
      continue;
    }
    if (nl < 0) {
      yield [buf.subarray(0, len), pos];
      pos += len;
      continue;
    }
    yield [buf.subarray(0, nl), pos];
    pos += nl + 1;
    if (pos === z) {
      yield [new Uint8Array(0), z]; // the last line is empty
      return;
    }
  }
}

/** Blocks covering [a, z) from the end backwards, starting small (64 KiB) and growing. */
function* backwardBlocks(file: Deno.FsFile, a: number, z: number): Generator<[Uint8Array, number]> {
  let size = Math.max(16, Math.min(blockBytes, 64 << 10));
  let buf = new Uint8Array(size);
  let end = z;
  while (true) {
    const start = Math.max(a, end - size);
    if (buf.length < end - start) buf = new Uint8Array(end - start);
    const len = readAt(file, start, buf.subarray(0, end - start));
    if (start === a) {
      yield [buf.subarray(0, len), a];
      return;
    }
    const nl = buf.subarray(0, len).indexOf(NL);
    if (nl < 0 && size < maxBlock()) {
      size *= 2;
      continue;
    }
    if (nl < 0) {
      yield [buf.subarray(0, len), start];
      end = start;
      continue;
    }
    yield [buf.subarray(nl + 1, len), start + nl + 1];
    end = start + nl; // the newline ends the previous block's last line; a first empty line gets an empty block
    size = Math.min(blockBytes, size * 4);
  }
}

interface ScanState {
  /** Record index near the last match (forward scanning within a block). */
  cursor: number;
}

/**
 * Matching records of one block, in order. With `wanted`, candidate lines
 * are checked from the end and only the last `wanted` matches are kept.
 */
function scanBlock(
  t: GrepTarget,
  block: Uint8Array,
  fileOff: number,
  state: ScanState,
  wanted: number | null = null,
): RecordRef[] {
  const cands = candidateLines(block, decodeUtf8(block), t.matcher);
  if (wanted === null) {
    const out: RecordRef[] = [];
    for (let c = 0; c < cands.length; c += 2) {
      checkLine(t, block, fileOff, cands[c], cands[c + 1], state, out);
    }
    return out;
  }
  const groups: RecordRef[][] = [];
  let found = 0;
  for (let c = cands.length - 2; c >= 0 && found < wanted; c -= 2) {
    const hits: RecordRef[] = [];
    state.cursor = -1;
    checkLine(t, block, fileOff, cands[c], cands[c + 1], state, hits);
    groups.push(hits);
    found += hits.length;
  }
  return groups.reverse().flat();
}

/** Checks the records that start within one candidate line [la, lb] (block-relative) and adds the matches. */
function checkLine(
  t: GrepTarget,
  block: Uint8Array,
  fileOff: number,
  la: number,
  lb: number,
  state: ScanState,
  out: RecordRef[],
): void {
  const ix = t.view.segments[t.seg].index;
  let j = seek(t, fileOff + la, state.cursor);
  while (j >= 0) {
    const r = t.view.ref(t.seg, j);
    if (r.offset > fileOff + lb) break;
    state.cursor = j;
    if (t.accept(r) && t.matcher.test(lineText(recordBytes(t, r, block, fileOff)))) out.push(r);
    j = ix.nextOfStream(j + 1, t.stream, t.recHi);
  }
}

/** First record of the target's stream with offset >= `off`, starting near `cursor` when it helps. */
function seek(t: GrepTarget, off: number, cursor: number): number {
  const ix = t.view.segments[t.seg].index;
  if (cursor >= 0 && ix.offset(cursor) <= off) {
    let j = cursor;
    for (let steps = 0; steps < 32 && j >= 0; steps++) {
      if (ix.offset(j) >= off) return j;
      j = ix.nextOfStream(j + 1, t.stream, t.recHi);
    }
    if (j < 0) return -1;
  }
  return ix.findByOffset(t.stream, off, t.recLo, t.recHi);
}

function recordBytes(t: GrepTarget, r: RecordRef, block: Uint8Array, fileOff: number): Uint8Array {
  const rel = r.offset - fileOff;
  if (rel >= 0 && rel + r.length <= block.length) return block.subarray(rel, rel + r.length);
  const file = t.view.segments[t.seg].data[t.stream];
  const buf = new Uint8Array(r.length);
  const got = file ? readAt(file, r.offset, buf) : 0;
  return buf.subarray(0, got);
}
