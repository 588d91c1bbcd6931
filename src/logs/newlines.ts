/**
 * Finding "\n" bytes fast. Lines inside an index block are located by their
 * newlines, and the writer counts the lines of every chunk, so these loops
 * run over every byte a process prints: counting reads four bytes at a time
 * (SWAR), and positions come from a plain byte loop, which beats
 * `indexOf` per line by far when lines are short (`yes`).
 */

const NL = 10;

/** Number of "\n" bytes in `bytes[from, to)`. */
export function countNewlines(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let n = 0;
  let i = from;
  while (i < to && ((bytes.byteOffset + i) & 3) !== 0) {
    if (bytes[i] === NL) n++;
    i++;
  }
  const words = (to - i) >> 2;
  if (words > 0) {
    const u = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let k = 0; k < words; k++) {
      const t = u[k] ^ 0x0a0a0a0a;
      // High bit of each byte set exactly where that byte of t is zero (a newline in the input).
      const z = ~(((t & 0x7f7f7f7f) + 0x7f7f7f7f) | t | 0x7f7f7f7f);
      n += Math.imul(z >>> 7, 0x01010101) >>> 24;
    }
    i += words * 4;
  }
  for (; i < to; i++) if (bytes[i] === NL) n++;
  return n;
}

/**
 * Positions of the first `limit` "\n" bytes in `bytes[from, to)` (all of
 * them by default), in order.
 */
export function newlinePositions(
  bytes: Uint8Array,
  from = 0,
  to = bytes.length,
  limit = Infinity,
): number[] {
  const out: number[] = [];
  for (let i = from; i < to && out.length < limit; i++) if (bytes[i] === NL) out.push(i);
  return out;
}

/** Position of the `k`-th (0-based) "\n" in `bytes[from, to)`, or -1. */
export function nthNewline(bytes: Uint8Array, k: number, from = 0, to = bytes.length): number {
  let seen = 0;
  for (let i = from; i < to; i++) {
    if (bytes[i] === NL) {
      if (seen === k) return i;
      seen++;
    }
  }
  return -1;
}
