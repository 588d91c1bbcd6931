/**
 * Splits one stream's chunks into runs of completed lines (future index
 * blocks) without looking at each line when it can: a chunk whose lines are
 * all short enough is one run, counted with a fast newline count. Only the
 * unterminated tail of a chunk is kept (at most `maxLineBytes`), so a line
 * spanning chunks can be indexed when it completes. A line longer than
 * `maxLineBytes` becomes several lines flagged FLAG_SPLIT, cut on a UTF-8
 * character boundary where one is near, and a newline is inserted after each
 * cut: in the stored file every line is followed by exactly one "\n", which
 * is what lets a block's lines be found by scanning for newlines.
 */

import { FLAG_SPLIT, FLAG_UNTERMINATED } from "./index_format.ts";
import { countNewlines } from "./newlines.ts";

/** Completed lines stored back to back: what one index block describes. */
export interface Run {
  /** File offset of the first line. */
  offset: number;
  /** Bytes of the lines, each with its newline. */
  length: number;
  /** Number of lines. */
  count: number;
  /** FLAG_* bits shared by the lines. */
  flags: number;
}

/** What `feed` did: the completed lines as runs, and the bytes to store (the chunk, plus newlines after cuts). */
export interface FeedResult {
  runs: Run[];
  count: number;
  output: Uint8Array;
}

/** Largest run (block) the splitter builds, so reading one line of a block stays cheap. */
export const DEFAULT_MAX_RUN_BYTES = 256 * 1024;

const NL = 10;

/** Line splitting state of one stream. */
export class LineSplitter {
  readonly #max: number;
  readonly #maxRun: number;
  #pend: Uint8Array;
  #pendLen = 0;
  #runs: Run[] = [];

  /** `maxLineBytes` is the longest line (longer ones are cut); `maxRunBytes` the largest run. */
  constructor(maxLineBytes: number, maxRunBytes = DEFAULT_MAX_RUN_BYTES) {
    this.#max = Math.max(4, Math.floor(maxLineBytes));
    this.#maxRun = Math.max(1, Math.floor(maxRunBytes));
    // Grown on the first partial line: most streams never hold one for long, and a process has three.
    this.#pend = new Uint8Array(0);
  }

  /** Longest line before a cut. */
  get maxLineBytes(): number {
    return this.#max;
  }

  /** Bytes of the line still waiting for its newline (already on disk, not yet indexed). */
  get pendingLength(): number {
    return this.#pendLen;
  }

  /** A view of the pending bytes (valid until the next call). */
  pending(): Uint8Array {
    return this.#pend.subarray(0, this.#pendLen);
  }

  /**
   * Feeds a chunk that will be stored at file offset `base` (the pending
   * bytes sit just before it). Returns the completed lines as runs and the
   * bytes to store.
   */
  feed(chunk: Uint8Array, base: number): FeedResult {
    const n = chunk.length;
    const max = this.#max;
    const first = chunk.indexOf(NL);
    if (first < 0) {
      if (this.#pendLen + n <= max) {
        this.#keep(chunk);
        return { runs: [], count: 0, output: chunk };
      }
    } else {
      const last = chunk.lastIndexOf(NL);
      // Every line short enough (inner lines are shorter than last - first): one run, no cut.
      if (
        this.#pendLen + first <= max && last - first <= max && n - last - 1 <= max &&
        this.#pendLen + last + 1 <= this.#maxRun
      ) {
        const count = 1 + countNewlines(chunk, first + 1, last + 1);
        const run = {
          offset: base - this.#pendLen,
          length: this.#pendLen + last + 1,
          count,
          flags: 0,
        };
        this.#pendLen = 0;
        if (last + 1 < n) this.#keep(chunk.subarray(last + 1));
        return { runs: [run], count, output: chunk };
      }
    }
    return this.#slowFeed(chunk, base);
  }

  /** Line by line, cutting over-long lines. */
  #slowFeed(chunk: Uint8Array, base: number): FeedResult {
    this.#runs = [];
    let count = 0;
    let pos = 0;
    let cuts: number[] | null = null;
    const n = chunk.length;
    while (true) {
      const nl = chunk.indexOf(NL, pos);
      const end = nl < 0 ? n : nl;
      while (this.#pendLen + (end - pos) > this.#max) {
        // Cut at most `max` bytes in; never inside bytes already stored (they cannot get a newline).
        const cut = Math.max(this.#cutPoint(chunk, pos), this.#pendLen);
        const start = this.#pendLen ? base - this.#pendLen : base + pos + (cuts?.length ?? 0);
        this.#push(start, cut + 1, FLAG_SPLIT);
        count++;
        pos += cut - this.#pendLen;
        this.#pendLen = 0;
        (cuts ??= []).push(pos);
      }
      if (nl < 0) break;
      const len = this.#pendLen + (nl - pos);
      const start = this.#pendLen ? base - this.#pendLen : base + pos + (cuts?.length ?? 0);
      this.#push(start, len + 1, 0);
      count++;
      this.#pendLen = 0;
      pos = nl + 1;
    }
    if (pos < n) this.#keep(chunk.subarray(pos));
    const runs = this.#runs;
    this.#runs = [];
    return { runs, count, output: cuts ? withNewlines(chunk, cuts) : chunk };
  }

  /** Adds one line (with its newline) to the current run, or starts a new run. */
  #push(offset: number, length: number, flags: number): void {
    const r = this.#runs[this.#runs.length - 1];
    if (
      r && r.flags === flags && r.offset + r.length === offset && r.length + length <= this.#maxRun
    ) {
      r.length += length;
      r.count++;
    } else {
      this.#runs.push({ offset, length, count: 1, flags });
    }
  }

  /**
   * The pending bytes as one unterminated line (FLAG_UNTERMINATED), given
   * the stream file's current size, or null when nothing is pending. The
   * caller then stores a "\n" after it.
   */
  flush(fileSize: number): Run | null {
    if (this.#pendLen === 0) return null;
    const len = this.#pendLen;
    this.#pendLen = 0;
    return { offset: fileSize - len, length: len + 1, count: 1, flags: FLAG_UNTERMINATED };
  }

  /** Forgets the pending bytes (after a failed write the file and this state may disagree). */
  discard(): void {
    this.#pendLen = 0;
  }

  #keep(tail: Uint8Array): void {
    const need = this.#pendLen + tail.length;
    if (need > this.#pend.length) {
      const grown = new Uint8Array(Math.min(this.#max, Math.max(need, this.#pend.length * 2, 256)));
      grown.set(this.#pend.subarray(0, this.#pendLen));
      this.#pend = grown;
    }
    this.#pend.set(tail, this.#pendLen);
    this.#pendLen = need;
  }

  /** Byte `i` of the current line (pending bytes, then chunk bytes from `pos`). */
  #at(chunk: Uint8Array, pos: number, i: number): number {
    return i < this.#pendLen ? this.#pend[i] : chunk[pos + i - this.#pendLen];
  }

  /** Where to cut an over-long line: at most `max` bytes, backing off to a UTF-8 lead byte. */
  #cutPoint(chunk: Uint8Array, pos: number): number {
    let cut = this.#max;
    for (let back = 0; back < 3; back++) {
      if ((this.#at(chunk, pos, cut) & 0xc0) !== 0x80) return cut;
      cut--;
    }
    return (this.#at(chunk, pos, cut) & 0xc0) !== 0x80 ? cut : this.#max;
  }
}

/** The chunk with a "\n" inserted before each of the (ascending) chunk positions `cuts`. */
export function withNewlines(chunk: Uint8Array, cuts: number[]): Uint8Array {
  const out = new Uint8Array(chunk.length + cuts.length);
  let from = 0;
  let to = 0;
  for (const c of cuts) {
    out.set(chunk.subarray(from, c), to);
    to += c - from;
    out[to++] = NL;
    from = c;
  }
  out.set(chunk.subarray(from), to);
  return out;
}
