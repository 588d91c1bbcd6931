/**
 * Splits one stream's chunks into line records without copying complete
 * lines: only the unterminated tail of a chunk is kept (at most
 * `maxLineBytes`), so a line spanning chunks can be indexed and decoded when
 * it completes. A line longer than `maxLineBytes` becomes several records
 * flagged FLAG_SPLIT, cut on a UTF-8 character boundary where one is near,
 * and a newline is inserted after each cut: in the stored file every record
 * is followed by exactly one "\n", which keeps block search exact.
 */

import { FLAG_SPLIT, FLAG_UNTERMINATED } from "./index_format.ts";

/**
 * Receives one completed record: file offset, length, flags, a copy of its
 * bytes when bytes were asked for and the line began before this chunk
 * (else null), and where its bytes start in the chunk (when they lie in it).
 */
export type EmitRecord = (
  offset: number,
  length: number,
  flags: number,
  bytes: Uint8Array | null,
  chunkStart: number,
) => void;

/** What `feed` did: records completed, and the bytes to store (the chunk, plus newlines after cuts). */
export interface FeedResult {
  count: number;
  output: Uint8Array;
}

const NL = 10;

/** Line splitting state of one stream. */
export class LineSplitter {
  readonly #max: number;
  #pend: Uint8Array;
  #pendLen = 0;

  /** `maxLineBytes` is the longest record; longer lines are split. */
  constructor(maxLineBytes: number) {
    this.#max = Math.max(4, Math.floor(maxLineBytes));
    this.#pend = new Uint8Array(Math.min(this.#max, 4096));
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
   * bytes sit just before it). Calls `emit` for each completed record, with
   * copied bytes when `wantBytes`. Returns the count and the bytes to store.
   */
  feed(chunk: Uint8Array, base: number, emit: EmitRecord, wantBytes: boolean): FeedResult {
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
        emit(start, cut, FLAG_SPLIT, wantBytes ? this.#bytes(chunk, pos, cut) : null, pos);
        count++;
        pos += cut - this.#pendLen;
        this.#pendLen = 0;
        (cuts ??= []).push(pos);
      }
      if (nl < 0) break;
      const len = this.#pendLen + (nl - pos);
      const start = this.#pendLen ? base - this.#pendLen : base + pos + (cuts?.length ?? 0);
      emit(start, len, 0, wantBytes ? this.#bytes(chunk, pos, len) : null, pos);
      count++;
      this.#pendLen = 0;
      pos = nl + 1;
    }
    if (pos < n) this.#keep(chunk.subarray(pos));
    return { count, output: cuts ? withNewlines(chunk, cuts) : chunk };
  }

  /**
   * Emits the pending bytes as one unterminated record (FLAG_UNTERMINATED)
   * given the stream file's current size; returns whether there was one.
   * The caller then stores a "\n" after it.
   */
  flush(fileSize: number, emit: EmitRecord, wantBytes: boolean): boolean {
    if (this.#pendLen === 0) return false;
    const len = this.#pendLen;
    emit(fileSize - len, len, FLAG_UNTERMINATED, wantBytes ? this.#pend.slice(0, len) : null, 0);
    this.#pendLen = 0;
    return true;
  }

  /** Forgets the pending bytes (after a failed write the file and this state may disagree). */
  discard(): void {
    this.#pendLen = 0;
  }

  #keep(tail: Uint8Array): void {
    const need = this.#pendLen + tail.length;
    if (need > this.#pend.length) {
      const grown = new Uint8Array(Math.min(this.#max, Math.max(need, this.#pend.length * 2)));
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

  /** Copies the first `len` bytes of the current line, or null when they all lie in the chunk. */
  #bytes(chunk: Uint8Array, pos: number, len: number): Uint8Array | null {
    if (this.#pendLen === 0) return null;
    const out = new Uint8Array(len);
    const fromPend = Math.min(len, this.#pendLen);
    out.set(this.#pend.subarray(0, fromPend));
    if (len > fromPend) out.set(chunk.subarray(pos, pos + len - fromPend), fromPend);
    return out;
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
