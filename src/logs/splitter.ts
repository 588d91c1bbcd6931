/**
 * Splits one stream's chunks into line records without copying complete lines:
 * only the unterminated tail of a chunk is kept (at most `maxLineBytes`), so
 * a line that spans chunks can be indexed and decoded once it completes.
 * Lines longer than `maxLineBytes` become several records flagged
 * FLAG_SPLIT, cut on a UTF-8 character boundary where one is near.
 */

import { FLAG_SPLIT, FLAG_UNTERMINATED } from "./index_format.ts";

/**
 * Receives one completed record: file offset, length, flags, and, when bytes
 * were asked for, a copy of them if the line began before this chunk (a line
 * wholly inside the chunk gets null: the caller slices it from the chunk).
 */
export type EmitRecord = (offset: number, length: number, flags: number, bytes: Uint8Array | null) => void;

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
   * Feeds a chunk whose first byte sits at file offset `base` (the pending
   * bytes sit just before it). Calls `emit` for each completed record, with
   * the record's bytes when `wantBytes`. Returns the number of records.
   */
  feed(chunk: Uint8Array, base: number, emit: EmitRecord, wantBytes: boolean): number {
    let count = 0;
    let pos = 0;
    const n = chunk.length;
    while (true) {
      const nl = chunk.indexOf(NL, pos);
      const end = nl < 0 ? n : nl;
      while (this.#pendLen + (end - pos) > this.#max) {
        const cut = this.#cutPoint(chunk, pos);
        emit(base + pos - this.#pendLen, cut, FLAG_SPLIT, wantBytes ? this.#bytes(chunk, pos, cut) : null);
        count++;
        if (cut <= this.#pendLen) {
          this.#pend.copyWithin(0, cut, this.#pendLen);
          this.#pendLen -= cut;
        } else {
          pos += cut - this.#pendLen;
          this.#pendLen = 0;
        }
      }
      if (nl < 0) break;
      const len = this.#pendLen + (nl - pos);
      emit(base + pos - this.#pendLen, len, 0, wantBytes ? this.#bytes(chunk, pos, len) : null);
      count++;
      this.#pendLen = 0;
      pos = nl + 1;
    }
    if (pos < n) this.#keep(chunk.subarray(pos));
    return count;
  }

  /**
   * Emits the pending bytes as one unterminated record (FLAG_UNTERMINATED)
   * given the stream file's current size; returns whether there was one.
   */
  flush(fileSize: number, emit: EmitRecord, wantBytes: boolean): boolean {
    if (this.#pendLen === 0) return false;
    const len = this.#pendLen;
    emit(fileSize - len, len, FLAG_UNTERMINATED, wantBytes ? this.#pend.slice(0, len) : null);
    this.#pendLen = 0;
    return true;
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
