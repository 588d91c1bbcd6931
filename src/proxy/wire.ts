/**
 * Pure HTTP/1.1 head handling for the proxy's fast path, on raw bytes: parse
 * a client request head, build the head sent to the backend (header lines
 * copied byte for byte, hop-by-hop lines dropped, `X-Forwarded-*` added),
 * parse a backend response head and build the one sent to the client, and
 * find where a chunked body ends without decoding it. Anything unusual
 * (HTTP/1.0, upgrades, `Expect`, folded lines, odd framing, bytes outside
 * ASCII in the values the proxy reads) is reported as `slow`, so the caller
 * can hand the connection to the full `Deno.serve` path. Heads are read
 * without decoding them to strings (only the few values the proxy needs are),
 * and written into a reused `Writer`: this is the hot path. No I/O here.
 */

import { MAX_HEAD_BYTES } from "./http1.ts";

const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;
const COLON = 58;

/** The ASCII bytes of `s` (every char code < 128). */
function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A growable output buffer, reused from one head to the next. */
export class Writer {
  buf: Uint8Array;
  n = 0;

  constructor(size = 4096) {
    this.buf = new Uint8Array(size);
  }

  /** Empties the buffer (views handed out before become invalid). */
  reset(): this {
    this.n = 0;
    return this;
  }

  /** Makes room for `extra` more bytes. */
  room(extra: number): void {
    if (this.n + extra <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.n + extra));
    bigger.set(this.buf.subarray(0, this.n));
    this.buf = bigger;
  }

  /** Appends `src[a, b)`. */
  put(src: Uint8Array, a = 0, b = src.length): void {
    const len = b - a;
    this.room(len);
    if (len < 24) {
      for (let i = 0; i < len; i++) this.buf[this.n + i] = src[a + i];
    } else this.buf.set(src.subarray(a, b), this.n);
    this.n += len;
  }

  /** The bytes written so far (a view, valid until the next `reset` or growth). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }
}

/** Whether `buf[at, at + name.length)` is `name` (lower-case ASCII), ignoring case. */
function equalsIgnoreCase(buf: Uint8Array, at: number, name: Uint8Array): boolean {
  for (let i = 0; i < name.length; i++) {
    const b = buf[at + i];
    const c = name[i];
    if (b !== c && !(c >= 97 && c <= 122 && b === c - 32)) return false;
  }
  return true;
}

/** `buf[a, b)` as a string, one char per byte, or null when it holds a control or non-ASCII byte. */
function asciiString(buf: Uint8Array, a: number, b: number): string | null {
  let s = "";
  for (let i = a; i < b; i++) {
    const c = buf[i];
    if (c < 32 || c > 126) return null;
    s += String.fromCharCode(c);
  }
  return s;
}

/** `buf[a, b)` as a latin1 string (for error messages and rare paths). */
function latin1String(buf: Uint8Array, a: number, b: number): string {
  let s = "";
  for (let i = a; i < b; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/** The decimal number in `buf[a, b)`, or -1 when it is not 1-15 digits. */
function digits(buf: Uint8Array, a: number, b: number): number {
  if (b <= a || b - a > 15) return -1;
  let n = 0;
  for (let i = a; i < b; i++) {
    const c = buf[i] - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Header names the fast path looks at. */
const enum H {
  Other,
  Host,
  ContentLength,
  TransferEncoding,
  Connection,
  Upgrade,
  Expect,
  XForwardedFor,
  XForwardedHost,
  XForwardedProto,
  Accept,
  KeepAlive,
  ProxyConnection,
  ProxyAuthorization,
  ProxyAuthenticate,
  Te,
  Trailer,
}

/** Known names by length. */
const NAMES: [Uint8Array, H][][] = [];
for (
  const [name, id] of [
    ["host", H.Host],
    ["content-length", H.ContentLength],
    ["transfer-encoding", H.TransferEncoding],
    ["connection", H.Connection],
    ["upgrade", H.Upgrade],
    ["expect", H.Expect],
    ["x-forwarded-for", H.XForwardedFor],
    ["x-forwarded-host", H.XForwardedHost],
    ["x-forwarded-proto", H.XForwardedProto],
    ["accept", H.Accept],
    ["keep-alive", H.KeepAlive],
    ["proxy-connection", H.ProxyConnection],
    ["proxy-authorization", H.ProxyAuthorization],
    ["proxy-authenticate", H.ProxyAuthenticate],
    ["te", H.Te],
    ["trailer", H.Trailer],
  ] as const
) (NAMES[name.length] ??= []).push([ascii(name), id]);

function headerId(buf: Uint8Array, at: number, len: number): H {
  const known = NAMES[len];
  if (known === undefined) return H.Other;
  for (const [name, id] of known) if (equalsIgnoreCase(buf, at, name)) return id;
  return H.Other;
}

const KEEP_ALIVE = ascii("keep-alive");
const CLOSE = ascii("close");
const CHUNKED = ascii("chunked");

/** Tokens of a `Connection` value: whether it says close / keep-alive, and other names. */
interface ConnectionTokens {
  close: boolean;
  keepAlive: boolean;
  upgrade: boolean;
  /** Other header names it lists (lower-case), or null. */
  named: string[] | null;
}

function connectionTokens(buf: Uint8Array, a: number, b: number, into: ConnectionTokens): void {
  if (b - a === 10 && equalsIgnoreCase(buf, a, KEEP_ALIVE)) into.keepAlive = true;
  else if (b - a === 5 && equalsIgnoreCase(buf, a, CLOSE)) into.close = true;
  else {
    for (const raw of latin1String(buf, a, b).toLowerCase().split(",")) {
      const t = raw.trim();
      if (t === "close") into.close = true;
      else if (t === "keep-alive") into.keepAlive = true;
      else if (t === "upgrade") into.upgrade = true;
      else if (t !== "") (into.named ??= []).push(t);
    }
  }
}

/** Whether a `Transfer-Encoding` value `buf[a, b)` ends with the chunked coding. */
function endsChunked(buf: Uint8Array, a: number, b: number): boolean {
  if (b - a < 7 || !equalsIgnoreCase(buf, b - 7, CHUNKED)) return false;
  for (let i = b - 8; i >= a; i--) {
    const c = buf[i];
    if (c === 44) return true;
    if (c !== SP && c !== HT) return false;
  }
  return true;
}

/** How a request body is delimited. */
export type BodyFraming =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" };

const NO_BODY: BodyFraming = { kind: "none" };
const CHUNKED_BODY: BodyFraming = { kind: "chunked" };

/** A request head the fast path can forward. */
export interface RequestHead {
  method: string;
  /** `Host` value, trimmed. */
  host: string;
  body: BodyFraming;
  /** The client sent `Connection: close`. */
  close: boolean;
  /** The whole head as received (a view into the caller's buffer, valid until it reads more). */
  raw: Uint8Array;
  /** `[start, end)` byte ranges of `raw` to send on: request line and kept header lines. */
  keep: number[];
  /** Value ranges of `raw`: `Host`, then any prior `X-Forwarded-For` values. */
  values: number[];
  /** `Accept` value (for the flavour of error pages), or null. */
  accept: string | null;
}

/** Result of looking for a request head at the start of a buffer. */
export type RequestParse =
  | { kind: "incomplete" }
  | { kind: "slow"; reason: string }
  | { kind: "head"; head: RequestHead; used: number };

const INCOMPLETE: RequestParse = { kind: "incomplete" };

function slow(reason: string): RequestParse {
  return { kind: "slow", reason };
}

const HTTP11 = ascii("HTTP/1.1");

/** Whether `c` may appear in a method token. */
function tokenChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ||
    (c > 32 && c < 127 && "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c)));
}

/**
 * Parses the request head at `buf[from, to)`. `slow` means the request is
 * HTTP the fast path does not handle (or invalid HTTP, which the full server
 * answers properly).
 */
export function parseRequestHead(buf: Uint8Array, from: number, to: number): RequestParse {
  const v = buf.subarray(from, Math.min(to, from + MAX_HEAD_BYTES));
  const more = () => to - from >= MAX_HEAD_BYTES ? slow("large head") : INCOMPLETE;
  let lf = v.indexOf(LF);
  if (lf === -1) return more();
  const sp1 = v.indexOf(SP);
  const sp2 = sp1 === -1 ? -1 : v.indexOf(SP, sp1 + 1);
  if (
    sp1 <= 0 || sp2 === -1 || lf - 1 - (sp2 + 1) !== 8 || v[lf - 1] !== CR ||
    !equalsIgnoreCase(v, sp2 + 1, HTTP11)
  ) return slow("not an HTTP/1.1 request line");
  let method = "";
  for (let i = 0; i < sp1; i++) {
    if (!tokenChar(v[i])) return slow("unusual method");
    method += String.fromCharCode(v[i]);
  }
  if (v[sp1 + 1] !== 47) return slow("target not in origin form");
  for (let i = sp1 + 2; i < sp2; i++) {
    if (v[i] <= SP || v[i] > 126) return slow("unusual target");
  }
  const keep = [0, lf + 1];
  const values: number[] = [-1, -1];
  let accept: string | null = null;
  let length = -1;
  let chunked = false;
  const conn: ConnectionTokens = { close: false, keepAlive: false, upgrade: false, named: null };
  let used = -1;
  for (let ls = lf + 1;;) {
    lf = v.indexOf(LF, ls);
    if (lf === -1) return more();
    if (lf === ls || v[lf - 1] !== CR) return slow("bare LF");
    if (lf === ls + 1) {
      used = lf + 1;
      break;
    }
    const colon = v.indexOf(COLON, ls);
    const first = v[ls];
    if (colon <= ls || colon > lf || first === SP || first === HT) {
      return slow("malformed or folded header line");
    }
    const last = v[colon - 1];
    if (last === SP || last === HT) return slow("space before a colon");
    let vs = colon + 1;
    let ve = lf - 1;
    while (vs < ve && (v[vs] === SP || v[vs] === HT)) vs++;
    while (ve > vs && (v[ve - 1] === SP || v[ve - 1] === HT)) ve--;
    let drop = false;
    switch (headerId(v, ls, colon - ls)) {
      case H.Host:
        if (values[0] !== -1) return slow("several Host headers");
        values[0] = vs;
        values[1] = ve;
        break;
      case H.ContentLength:
        if (length !== -1) return slow("several Content-Length headers");
        length = digits(v, vs, ve);
        if (length === -1) return slow("unusual Content-Length");
        break;
      case H.TransferEncoding:
        if (chunked || ve - vs !== 7 || !equalsIgnoreCase(v, vs, CHUNKED)) {
          return slow("unusual Transfer-Encoding");
        }
        chunked = drop = true;
        break;
      case H.Connection:
        connectionTokens(v, vs, ve, conn);
        drop = true;
        break;
      case H.Upgrade:
        return slow("upgrade");
      case H.Expect:
        return slow("expect");
      case H.XForwardedFor:
        values.push(vs, ve);
        drop = true;
        break;
      case H.Accept: {
        const a = latin1String(v, vs, ve);
        accept = accept === null ? a : `${accept}, ${a}`;
        break;
      }
      case H.XForwardedHost:
      case H.XForwardedProto:
      case H.KeepAlive:
      case H.ProxyConnection:
      case H.ProxyAuthorization:
      case H.Te:
      case H.Trailer:
        drop = true;
        break;
    }
    if (!drop) {
      const end = keep.length - 1;
      if (keep[end] === ls) keep[end] = lf + 1; // extends the previous kept range
      else keep.push(ls, lf + 1);
    }
    ls = lf + 1;
  }
  if (values[0] === -1) return slow("no Host");
  const host = asciiString(v, values[0], values[1]);
  if (host === null || host === "") return slow("unusual Host");
  for (let i = 2; i < values.length; i += 2) {
    if (asciiString(v, values[i], values[i + 1]) === null) return slow("unusual X-Forwarded-For");
  }
  if (chunked && length !== -1) return slow("both body framings");
  if (conn.upgrade) return slow("upgrade");
  if (conn.named !== null) return slow("headers named in Connection");
  const body: BodyFraming = chunked
    ? CHUNKED_BODY
    : length > 0
    ? { kind: "length", length }
    : NO_BODY;
  return {
    kind: "head",
    head: { method, host, body, close: conn.close, raw: v.subarray(0, used), keep, values, accept },
    used,
  };
}

const TE_CHUNKED = ascii("transfer-encoding: chunked\r\n");
const XFF = ascii("x-forwarded-for: ");
const COMMA = ascii(", ");
const XFH = ascii("\r\nx-forwarded-host: ");
const XFP_END = ascii("\r\nx-forwarded-proto: http\r\n\r\n");

/**
 * Writes the head for the backend into `w`: request line and kept header
 * lines as the client sent them, then `Transfer-Encoding: chunked` for a
 * chunked body and `X-Forwarded-For` (`clientIp` appended to prior values),
 * `-Host` and `-Proto`.
 */
export function upstreamHead(head: RequestHead, clientIp: Uint8Array, w: Writer): void {
  const { raw, keep, values } = head;
  for (let i = 0; i < keep.length; i += 2) w.put(raw, keep[i], keep[i + 1]);
  if (head.body.kind === "chunked") w.put(TE_CHUNKED);
  w.put(XFF);
  for (let i = 2; i < values.length; i += 2) {
    w.put(raw, values[i], values[i + 1]);
    w.put(COMMA);
  }
  w.put(clientIp);
  w.put(XFH);
  w.put(raw, values[0], values[1]);
  w.put(XFP_END);
}

/** The ASCII bytes of a client address, for `X-Forwarded-For`. */
export function addressBytes(address: string): Uint8Array {
  return ascii(address);
}

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
    let vs = colon + 1;
    let ve = lf - 1;
    while (vs < ve && (v[vs] === SP || v[vs] === HT)) vs++;
    while (ve > vs && (v[ve - 1] === SP || v[ve - 1] === HT)) ve--;
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
    if (!drop) {
      const end = keep.length - 1;
      if (keep[end] === ls) keep[end] = lf + 1;
      else keep.push(ls, lf + 1);
    }
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
        ) {
          const last = kept.length - 1;
          if (kept[last] === ls) kept[last] = end;
          else kept.push(ls, end);
        }
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
