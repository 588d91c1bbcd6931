/**
 * Fast `--grep`: instead of decoding every line, a stream is read in units
 * of consecutive index blocks (contiguous in the file, up to 4 MiB), each
 * unit is decoded once and searched as a whole, and only the lines holding
 * hits are located (block by byte offset, line by counting newlines) and
 * checked exactly. Works forwards over a range, or backwards from its end
 * until enough matches are found for `--tail`.
 */

import type { StreamNo } from "./index_format.ts";
import type { SegmentIndex } from "./index_reader.ts";
import type { LineRef, LogView } from "./log_view.ts";
import { countNewlines } from "./newlines.ts";
import type { LineMatcher } from "./pattern.ts";
import { readAt } from "./segments.ts";
import { decodeUtf8, lineText } from "./text.ts";

/** Size of one scanned unit (a unit holds at least one block, whatever its size). */
export const BLOCK_BYTES = 4 << 20;

const NL = 10;

let blockBytes = BLOCK_BYTES;

/** Sets the scan unit size (tests use tiny units to cross unit boundaries); returns the previous one. */
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

/** What to search: lines [seqLo, seqHi) of one stream of one segment of a view. */
export interface GrepTarget {
  view: LogView;
  seg: number;
  stream: StreamNo;
  seqLo: number;
  seqHi: number;
  matcher: LineMatcher;
  /** Extra per-line filter (time, generation). */
  accept: (r: LineRef) => boolean;
}

/** A read buffer reused by the units of one search (grown when a unit needs more). */
interface ReadBuffer {
  bytes: Uint8Array;
}

/** Consecutive blocks of one stream, back to back in its file. */
interface Unit {
  blocks: number[];
  a: number;
  z: number;
}

/**
 * Matching lines of the target in order. With `limit`, scans backwards
 * from the end and stops once `limit` matches are found, returning the
 * last `limit` of them.
 */
export function grepStream(t: GrepTarget, limit: number | null): LineRef[] {
  const ix = t.view.segments[t.seg].index;
  const file = t.view.segments[t.seg].data[t.stream];
  const lo = Math.max(t.seqLo, ix.baseSeq);
  const hi = Math.min(t.seqHi, ix.baseSeq + ix.lines);
  if (!file || lo >= hi) return [];
  const bLo = ix.blockOf(lo - ix.baseSeq);
  // One read buffer for every unit (zeroing a fresh 4 MiB buffer per unit cost more than searching it).
  const buf: ReadBuffer = { bytes: new Uint8Array(0) };
  const bHi = ix.blockOf(hi - 1 - ix.baseSeq) + 1;
  if (limit === null) {
    const out: LineRef[] = [];
    let b = ix.nextOfStream(bLo, t.stream, bHi);
    while (b >= 0) {
      const u = forwardUnit(ix, b, t.stream, bHi, blockBytes);
      out.push(...scanUnit(t, ix, file, u, null, buf));
      b = ix.nextOfStream(u.blocks[u.blocks.length - 1] + 1, t.stream, bHi);
    }
    return out;
  }
  const groups: LineRef[][] = [];
  let found = 0;
  let size = Math.min(blockBytes, 64 << 10);
  let b = ix.prevOfStream(bHi - 1, t.stream, bLo);
  while (b >= 0 && found < limit) {
    const u = backwardUnit(ix, b, t.stream, bLo, size);
    const hits = scanUnit(t, ix, file, u, limit - found, buf);
    groups.push(hits);
    found += hits.length;
    size = Math.min(blockBytes, size * 4);
    b = ix.prevOfStream(u.blocks[0] - 1, t.stream, bLo);
  }
  const all = groups.reverse().flat();
  return all.length <= limit ? all : all.slice(all.length - limit);
}

/** Blocks of stream `s` from `b` on (before `bHi`) while contiguous and within `size` bytes. */
function forwardUnit(ix: SegmentIndex, b: number, s: StreamNo, bHi: number, size: number): Unit {
  const u: Unit = { blocks: [b], a: ix.offset(b), z: ix.end(b) };
  while (true) {
    const n = ix.nextOfStream(u.blocks[u.blocks.length - 1] + 1, s, bHi);
    if (n < 0 || ix.offset(n) !== u.z || ix.end(n) - u.a > size) return u;
    u.blocks.push(n);
    u.z = ix.end(n);
  }
}

/** Blocks of stream `s` from `b` backwards (down to `bLo`) while contiguous and within `size` bytes. */
function backwardUnit(ix: SegmentIndex, b: number, s: StreamNo, bLo: number, size: number): Unit {
  const u: Unit = { blocks: [b], a: ix.offset(b), z: ix.end(b) };
  while (true) {
    const p = ix.prevOfStream(u.blocks[0] - 1, s, bLo);
    if (p < 0 || ix.end(p) !== u.a || u.z - ix.offset(p) > size) return u;
    u.blocks.unshift(p);
    u.a = ix.offset(p);
  }
}

/**
 * Matching lines of one unit, in order. With `wanted`, candidate lines are
 * checked from the end and only the last `wanted` matches are kept.
 */
function scanUnit(
  t: GrepTarget,
  ix: SegmentIndex,
  file: Deno.FsFile,
  u: Unit,
  wanted: number | null,
  buf: ReadBuffer,
): LineRef[] {
  if (buf.bytes.length < u.z - u.a) {
    buf.bytes = new Uint8Array(Math.max(u.z - u.a, buf.bytes.length * 2));
  }
  const got = readAt(file, u.a, buf.bytes.subarray(0, u.z - u.a));
  const bytes = buf.bytes.subarray(0, got);
  // The unit ends with a newline: leave it out so the last line is not followed by an empty one.
  const body = bytes.length && bytes[bytes.length - 1] === NL ? bytes.subarray(0, -1) : bytes;
  const cands = candidateLines(body, decodeUtf8(body), t.matcher);
  const out: LineRef[] = [];
  // Walk candidates forward, keeping (block, line, byte) so newline counting never repeats.
  let k = 0;
  let blockStart = ix.offset(u.blocks[0]) - u.a;
  let line = 0;
  let pos = blockStart;
  for (let c = 0; c < cands.length; c += 2) {
    const ls = cands[c];
    while (k + 1 < u.blocks.length && ix.end(u.blocks[k]) - u.a <= ls) {
      k++;
      blockStart = ix.offset(u.blocks[k]) - u.a;
      line = 0;
      pos = blockStart;
    }
    line += countNewlines(body, pos, ls);
    pos = ls;
    const r = t.view.ref(t.seg, u.blocks[k], line);
    if (r.seq < t.seqLo || r.seq >= t.seqHi || !t.accept(r)) continue;
    if (t.matcher.test(lineText(body.subarray(ls, cands[c + 1])))) out.push(r);
  }
  return wanted !== null && out.length > wanted ? out.slice(out.length - wanted) : out;
}
