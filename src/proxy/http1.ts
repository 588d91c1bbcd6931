/**
 * Pure HTTP/1.1 pieces of the proxy's upstream client: serializing a request
 * head, parsing a response head into raw header pairs (repeated names kept),
 * choosing how the response body is framed, and a chunked-encoding decoder
 * that works on arbitrary slices of bytes. No I/O here.
 */

const enc = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/** Largest response head accepted from a backend. */
export const MAX_HEAD_BYTES = 64 * 1024;

/** A parsed response status line and headers. */
export interface ResponseHead {
  /** Minor version: 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minor: number;
  status: number;
  reason: string;
  /** `[name, value]` pairs in order, names lower-cased, repeated names kept. */
  headers: [string, string][];
}

/** Result of trying to parse a head from the start of a buffer. */
export type HeadParse =
  | { kind: "incomplete" }
  | { kind: "error"; message: string }
  | { kind: "head"; head: ResponseHead; used: number };

/** How a response body is delimited. */
export type Framing =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  | { kind: "close" };

/** Encodes a byte string (every char code < 256, as `Headers` values are) one byte per char. */
export function latin1Bytes(s: string): Uint8Array {
  // UTF-8 is one byte per char exactly when every char is ASCII.
  const utf8 = enc.encode(s);
  if (utf8.length === s.length) return utf8;
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Encodes a request head; `headers` must not contain CR or LF (Headers guarantees it). */
export function requestHead(
  method: string,
  path: string,
  headers: Record<string, string>,
): Uint8Array {
  let s = `${method} ${path} HTTP/1.1\r\n`;
  for (const k in headers) s += `${k}: ${headers[k]}\r\n`;
  return latin1Bytes(s + "\r\n");
}

function findHeadEnd(buf: Uint8Array, limit: number): number {
  const n = Math.min(buf.length, limit);
  for (let i = 3; i < n; i++) {
    if (buf[i] === 10 && buf[i - 1] === 13 && buf[i - 2] === 10 && buf[i - 3] === 13) return i + 1;
  }
  return -1;
}

/** Parses `HTTP/1.x NNN reason\r\nName: value\r\n...\r\n\r\n` from the start of `buf`. */
export function parseResponseHead(buf: Uint8Array): HeadParse {
  const end = findHeadEnd(buf, MAX_HEAD_BYTES);
  if (end === -1) {
    return buf.length >= MAX_HEAD_BYTES
      ? { kind: "error", message: `response head larger than ${MAX_HEAD_BYTES} bytes` }
      : { kind: "incomplete" };
  }
  const text = latin1.decode(buf.subarray(0, end - 4));
  // Lines are walked with indexOf rather than split into an array (hot path).
  let eol = text.indexOf("\r\n");
  const status = eol === -1 ? text : text.slice(0, eol);
  const m = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(status);
  if (!m) {
    return { kind: "error", message: `bad status line ${JSON.stringify(status.slice(0, 80))}` };
  }
  const headers: [string, string][] = [];
  while (eol !== -1) {
    const start = eol + 2;
    eol = text.indexOf("\r\n", start);
    const stop = eol === -1 ? text.length : eol;
    const colon = text.indexOf(":", start);
    if (colon <= start || colon >= stop) {
      const line = text.slice(start, stop);
      return { kind: "error", message: `bad header line ${JSON.stringify(line.slice(0, 80))}` };
    }
    headers.push([
      text.slice(start, colon).trim().toLowerCase(),
      text.slice(colon + 1, stop).trim(),
    ]);
  }
  return {
    kind: "head",
    head: { minor: Number(m[1]), status: Number(m[2]), reason: m[3] ?? "", headers },
    used: end,
  };
}

/** The value of a header (all occurrences joined with ", "), or null. */
export function headerValue(head: ResponseHead, name: string): string | null {
  let out: string | null = null;
  for (const [k, v] of head.headers) {
    if (k.length === name.length && k.toLowerCase() === name) {
      out = out === null ? v : `${out}, ${v}`;
    }
  }
  return out;
}

/** How the body of a response to `method` is framed (RFC 9112 §6.3). */
export function framingOf(
  method: string,
  head: ResponseHead,
): Framing | { kind: "error"; message: string } {
  const s = head.status;
  if (method === "HEAD" || (s >= 100 && s < 200) || s === 204 || s === 304) return { kind: "none" };
  const te = headerValue(head, "transfer-encoding");
  if (te !== null) {
    const codings = te.toLowerCase().split(",").map((c) => c.trim());
    return codings[codings.length - 1] === "chunked" ? { kind: "chunked" } : { kind: "close" };
  }
  const cl = headerValue(head, "content-length");
  if (cl !== null) {
    const values = new Set(cl.split(",").map((v) => v.trim()));
    const [only] = values;
    if (values.size !== 1 || !/^\d+$/.test(only)) {
      return { kind: "error", message: `bad content-length ${JSON.stringify(cl)}` };
    }
    return { kind: "length", length: Number(only) };
  }
  return { kind: "close" };
}

/** Whether the connection may carry another request after this response. */
export function keepAlive(head: ResponseHead): boolean {
  const conn = (headerValue(head, "connection") ?? "").toLowerCase();
  const tokens = conn.split(",").map((t) => t.trim());
  if (tokens.includes("close")) return false;
  return head.minor === 1 || tokens.includes("keep-alive");
}

/** Frames one piece of a request body for chunked transfer coding. */
export function encodeChunk(data: Uint8Array): Uint8Array {
  const size = enc.encode(`${data.length.toString(16)}\r\n`);
  const out = new Uint8Array(size.length + data.length + 2);
  out.set(size);
  out.set(data, size.length);
  out[out.length - 2] = 13;
  out[out.length - 1] = 10;
  return out;
}

/** The end of a chunked request body. */
export const LAST_CHUNK: Uint8Array = enc.encode("0\r\n\r\n");

/** Output of feeding bytes to a `ChunkedDecoder`. */
export interface Decoded {
  /** Body bytes found (views into the input). */
  data: Uint8Array[];
  /** Bytes of the input consumed (all of it unless `done`). */
  used: number;
  /** The last chunk and trailers have been read. */
  done: boolean;
  /** Set when the framing is broken. */
  error: string | null;
}

type Phase = "size" | "data" | "data-crlf" | "trailer";

/** Incremental decoder of the chunked transfer coding. */
export class ChunkedDecoder {
  #phase: Phase = "size";
  #line = "";
  #left = 0;

  /** Consumes bytes; returns the body data they contain and whether the body ended. */
  push(buf: Uint8Array): Decoded {
    const data: Uint8Array[] = [];
    let i = 0;
    while (i < buf.length) {
      if (this.#phase === "data") {
        const n = Math.min(this.#left, buf.length - i);
        data.push(buf.subarray(i, i + n));
        i += n;
        this.#left -= n;
        if (this.#left === 0) this.#phase = "data-crlf";
        continue;
      }
      const b = buf[i++];
      if (b !== 10) {
        if (b !== 13) this.#line += String.fromCharCode(b);
        if (this.#line.length > 4096) {
          return { data, used: i, done: false, error: "chunk line too long" };
        }
        continue;
      }
      const line = this.#line;
      this.#line = "";
      if (this.#phase === "data-crlf") {
        if (line !== "") {
          return { data, used: i, done: false, error: "missing CRLF after chunk data" };
        }
        this.#phase = "size";
      } else if (this.#phase === "size") {
        const m = /^([0-9a-fA-F]{1,12})\s*(;.*)?$/.exec(line);
        if (!m) {
          return {
            data,
            used: i,
            done: false,
            error: `bad chunk size ${JSON.stringify(line.slice(0, 40))}`,
          };
        }
        this.#left = parseInt(m[1], 16);
        this.#phase = this.#left === 0 ? "trailer" : "data";
      } else if (line === "") {
        return { data, used: i, done: true, error: null };
      }
    }
    return { data, used: i, done: false, error: null };
  }
}
