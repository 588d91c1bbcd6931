/**
 * NDJSON framing of the protocol: one JSON message per line, split from a
 * byte stream with the size cap enforced, and malformed JSON turned into a
 * `ProtocolError`.
 */

import { MAX_MESSAGE_BYTES, ProtocolError } from "./protocol.ts";

const encoder = new TextEncoder();

/** Encodes one message as a JSON line. */
export function encodeLine(msg: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(msg) + "\n");
}

/**
 * Splits a byte stream into JSON lines, enforcing the size cap. `push` returns
 * the complete lines of the chunk (as strings); an over-long line throws.
 */
export class LineSplitter {
  #parts: Uint8Array[] = [];
  #pending = 0;
  #decoder = new TextDecoder();

  /** Feeds a chunk and returns the complete lines it finished. */
  push(chunk: Uint8Array): string[] {
    const out: string[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      if (this.#pending + piece.length > MAX_MESSAGE_BYTES) {
        throw new ProtocolError(`message larger than ${MAX_MESSAGE_BYTES} bytes`);
      }
      if (this.#parts.length === 0) {
        out.push(this.#decoder.decode(piece));
      } else {
        this.#parts.push(piece);
        out.push(this.#decoder.decode(concatBytes(this.#parts, this.#pending + piece.length)));
        this.#parts = [];
        this.#pending = 0;
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.slice(start);
      this.#pending += rest.length;
      if (this.#pending > MAX_MESSAGE_BYTES) {
        throw new ProtocolError(`message larger than ${MAX_MESSAGE_BYTES} bytes`);
      }
      this.#parts.push(rest);
    }
    return out;
  }
}

/** The parts one after the other in one new array (`total`: their summed length, when known). */
export function concatBytes(
  parts: readonly Uint8Array[],
  total = parts.reduce((n, p) => n + p.length, 0),
): Uint8Array {
  const buf = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    buf.set(p, off);
    off += p.length;
  }
  return buf;
}

/** Parses a JSON line, turning syntax errors into `ProtocolError`. */
export function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new ProtocolError("malformed JSON");
  }
}
