/**
 * Pure HTTP/1.1 response heads for the proxy's fast path, on raw bytes: parse
 * a backend response head (framing, reuse, the lines to keep), build the head
 * sent to the client, and find where a chunked body ends without decoding
 * it. No I/O here.
 */

import { MAX_HEAD_BYTES } from "./http1.ts";
import {
  ascii,
  COLON,
  type ConnectionTokens,
  connectionTokens,
  CR,
  digits,
  endsChunked,
  equalsIgnoreCase,
  H,
  headerId,
  HTTP11,
  keepRange,
  latin1String,
  LF,
  SP,
  TE_CHUNKED,
  valueEnd,
  valueStart,
  type Writer,
} from "./wire_bytes.ts";

/** How a response body is delimited, as the fast path relays it. */
export type ResponseFraming =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  | { kind: "close" };

/** A backend response head. */
export interface UpstreamResponse {
  status: number;
  framing: ResponseFraming;
  /** The backend connection may carry another request afterwards. */
  reusable: boolean;
  raw: Uint8Array;
  /** Byte ranges of `raw` to send on (the status line from its code, and kept header lines). */
  keep: number[];
}

/** Result of looking for a response head at the start of a buffer. */
export type ResponseParse =
  | { kind: "incomplete" }
  | { kind: "error"; message: string }
  | { kind: "head"; head: UpstreamResponse; used: number };

function bad(message: string): ResponseParse {
  return { kind: "error", message };
}

/**
 * Parses the response head at `buf[from, to)` for a request with `method`.
 * A chunked body is relayed as it is, so `Transfer-Encoding` and `Trailer`
 * lines are kept for it and dropped otherwise.
 */
export function parseResponseHead(
  buf: Uint8Array,
  from: number,
  to: number,
  method: string,
): ResponseParse {
  const v = buf.subarray(from, Math.min(to, from + MAX_HEAD_BYTES));
  const more = (): ResponseParse =>
    to - from >= MAX_HEAD_BYTES
      ? bad(`response head larger than ${MAX_HEAD_BYTES} bytes`)
      : { kind: "incomplete" };
  let lf = v.indexOf(LF);
  if (lf === -1) return more();
  const status = digits(v, 9, 12);
  if (
    lf < 13 || v[lf - 1] !== CR || !equalsIgnoreCase(v, 0, HTTP11.subarray(0, 7)) ||
    (v[7] !== 48 && v[7] !== 49) || v[8] !== SP || status === -1 ||
    (lf > 13 && v[12] !== SP)
  ) {
    const end = lf === -1 ? v.length : lf;
    return bad(`bad status line ${JSON.stringify(latin1String(v, 0, Math.min(end, 80)))}`);
  }
  const minor = v[7] - 48;
  // "HTTP/1.x " is replaced by "HTTP/1.1 "; the line is kept from the code on.
  const statusEnd = lf + 1;
  const keep = [9, statusEnd];
  const conn: ConnectionTokens = { close: false, keepAlive: false, upgrade: false, named: null };
  let te = false;
  let chunked = false;
  let length = -2;
  const chunkedOnly: number[] = []; // starts of Transfer-Encoding and Trailer lines
  let used = -1;
  for (let ls = lf + 1;;) {
    lf = v.indexOf(LF, ls);
    if (lf === -1) return more();
    if (lf === ls || v[lf - 1] !== CR) return bad("bad line ending in the response head");
    if (lf === ls + 1) {
      used = lf + 1;
      break;
    }
    const colon = v.indexOf(COLON, ls);
    if (colon <= ls || colon > lf) {
      return bad(
        `bad header line ${JSON.stringify(latin1String(v, ls, Math.min(lf - 1, ls + 80)))}`,
      );
    }
    const vs = valueStart(v, colon + 1, lf - 1);
    const ve = valueEnd(v, vs, lf - 1);
    let drop = false;
    switch (headerId(v, ls, colon - ls)) {
      case H.Connection:
        connectionTokens(v, vs, ve, conn);
        drop = true;
        break;
      case H.KeepAlive:
      case H.ProxyConnection:
      case H.ProxyAuthenticate:
      case H.Upgrade:
      case H.Te:
        drop = true;
        break;
      case H.TransferEncoding:
        te = true;
        chunked = endsChunked(v, vs, ve);
        chunkedOnly.push(ls);
        break;
      case H.Trailer:
        chunkedOnly.push(ls);
        break;
      case H.ContentLength: {
        let n = digits(v, vs, ve);
        if (n === -1) {
          const parts = new Set(latin1String(v, vs, ve).split(",").map((p) => p.trim()));
          const [only] = parts;
          n = parts.size === 1 && /^\d{1,15}$/.test(only) ? Number(only) : -1;
        }
        if (n === -1 || (length !== -2 && length !== n)) {
          return bad(`bad content-length ${JSON.stringify(latin1String(v, vs, ve))}`);
        }
        length = n;
        break;
      }
    }
    if (!drop) keepRange(keep, ls, lf + 1);
    ls = lf + 1;
  }
  let framing: ResponseFraming;
  if (method === "HEAD" || (status >= 100 && status < 200) || status === 204 || status === 304) {
    framing = { kind: "none" };
  } else if (te) framing = chunked ? { kind: "chunked" } : { kind: "close" };
  else if (length >= 0) framing = { kind: "length", length };
  else framing = { kind: "close" };
  const dropChunkedOnly = chunkedOnly.length > 0 && framing.kind !== "chunked" &&
    framing.kind !== "none";
  let kept = keep;
  if (conn.named !== null || dropChunkedOnly) {
    kept = [keep[0], statusEnd];
    // Rebuilt line by line (rare): Connection may name a header that came before it.
    for (let i = 0; i < keep.length; i += 2) {
      for (let ls = i === 0 ? statusEnd : keep[i]; ls < keep[i + 1];) {
        const end = v.indexOf(LF, ls) + 1;
        const name = latin1String(v, ls, v.indexOf(COLON, ls)).trim().toLowerCase();
        if (
          !(dropChunkedOnly && chunkedOnly.includes(ls)) && !(conn.named?.includes(name) ?? false)
        ) keepRange(kept, ls, end);
        ls = end;
      }
    }
  }
  const reusable = !conn.close && (minor === 1 || conn.keepAlive);
  return {
    kind: "head",
    head: { status, framing, reusable, raw: v.subarray(0, used), keep: kept },
    used,
  };
}

const STATUS_PREFIX = ascii("HTTP/1.1 ");
const CONNECTION_CLOSE_END = ascii("connection: close\r\n\r\n");
const CRLF = ascii("\r\n");

/**
 * Writes the head for the client into `w`: `HTTP/1.1`, the backend's status
 * line and kept header lines, `Transfer-Encoding: chunked` when a
 * close-delimited body is re-chunked, and `Connection: close` when the client
 * connection ends after this response.
 */
export function clientHead(res: UpstreamResponse, closeAfter: boolean, w: Writer): void {
  w.put(STATUS_PREFIX);
  for (let i = 0; i < res.keep.length; i += 2) w.put(res.raw, res.keep[i], res.keep[i + 1]);
  if (res.framing.kind === "close") w.put(TE_CHUNKED);
  w.put(closeAfter ? CONNECTION_CLOSE_END : CRLF);
}

/** Where a chunked body ends, found without decoding it. */
export class ChunkedScanner {
  /** 0 size, 1 extension, 2 data, 3 CR/LF after data, 4 trailer line start, 5 trailer line, 6 done. */
  #state = 0;
  #left = 0;
  #digits = 0;

  /** True once the last chunk and the trailers have been seen. */
  get done(): boolean {
    return this.#state === 6;
  }

  /**
   * Scans `buf[from, to)`; returns how many bytes belong to the body (all of
   * them unless it ended inside), or an error message for broken framing.
   */
  scan(buf: Uint8Array, from: number, to: number): number | string {
    let i = from;
    while (i < to && this.#state !== 6) {
      const s = this.#state;
      if (s === 2) {
        const n = Math.min(this.#left, to - i);
        i += n;
        this.#left -= n;
        if (this.#left === 0) this.#state = 3;
        continue;
      }
      const b = buf[i++];
      if (s === 0) {
        const d = b >= 48 && b <= 57
          ? b - 48
          : b >= 97 && b <= 102
          ? b - 87
          : b >= 65 && b <= 70
          ? b - 55
          : -1;
        if (d >= 0) {
          if (++this.#digits > 12) return "chunk size too large";
          this.#left = this.#left * 16 + d;
        } else if (this.#digits === 0) return "bad chunk size";
        else if (b === LF) this.#endSize();
        else this.#state = 1;
      } else if (s === 1) {
        if (b === LF) this.#endSize();
      } else if (s === 3) {
        if (b === LF) this.#state = 0;
        else if (b !== CR) return "missing CRLF after chunk data";
      } else if (s === 4) {
        if (b === LF) this.#state = 6;
        else if (b !== CR) this.#state = 5;
      } else if (b === LF) this.#state = 4;
    }
    return i - from;
  }

  #endSize(): void {
    this.#digits = 0;
    this.#state = this.#left === 0 ? 4 : 2;
  }
}
