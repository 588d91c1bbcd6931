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
  const buf = new Uint8Array(Math.min(BLOCK_BYTES, z - a));
  const blocks: RecordRef[][] = [];
  let found = 0;
  const state = { cursor: -1 };
  if (limit === null) {
    let pos = a;
    while (pos < z) {
      const len = readAt(file, pos, buf.subarray(0, Math.min(buf.length, z - pos)));
      if (len === 0) break;
      let blockLen = len;
      let next = pos + len;
      if (next < z) {
        const nl = buf.subarray(0, len).lastIndexOf(NL);
        if (nl >= 0) {
          blockLen = nl;
          next = pos + nl + 1;
        }
      }
      blocks.push(scanBlock(t, buf.subarray(0, blockLen), pos, state));
      pos = next;
    }
  } else {
    // Backwards: blocks grow from 64 KiB, so a common pattern stops after a small read.
    let size = Math.min(buf.length, 64 << 10);
    let end = z;
    while (end > a && found < limit) {
      const start = Math.max(a, end - size);
      size = Math.min(buf.length, size * 4);
      const len = readAt(file, start, buf.subarray(0, end - start));
      let blockStart = start;
      let nextEnd = start;
      if (start > a) {
        const nl = buf.subarray(0, len).indexOf(NL);
        if (nl >= 0) {
          blockStart = start + nl + 1;
          nextEnd = start + nl;
        }
      }
      state.cursor = -1;
      const hits = scanBlock(t, buf.subarray(blockStart - start, len), blockStart, state, limit - found);
      blocks.unshift(hits);
      found += hits.length;
      end = nextEnd;
    }
  }
  const all = blocks.flat();
  return limit === null || all.length <= limit ? all : all.slice(all.length - limit);
}

/**
 * Matching records of one block, in order. With `wanted`, candidate lines
 * are checked from the end and only the last `wanted` matches are kept.
 */
function scanBlock(
  t: GrepTarget,
  block: Uint8Array,
  fileOff: number,
  state: { cursor: number },
  wanted: number | null = null,
): RecordRef[] {
  const cands = candidateLines(block, decodeUtf8(block), t.matcher);
  if (wanted === null) {
    const out: RecordRef[] = [];
    for (let c = 0; c < cands.length; c += 2) checkLine(t, block, fileOff, cands[c], cands[c + 1], state, out);
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
  state: { cursor: number },
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
