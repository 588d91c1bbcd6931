/**
 * Byte-level helpers shared by the fast path's head parsers (`wire.ts`,
 * `wire_response.ts`): a reusable output buffer, case-insensitive name
 * matching, small decoders, the header names the proxy looks at, and
 * `Connection` / `Transfer-Encoding` value checks. No I/O here.
 */

/** Carriage return. */
export const CR = 13;
/** Line feed. */
export const LF = 10;
/** Space. */
export const SP = 32;
/** Horizontal tab. */
export const HT = 9;
/** `:` */
export const COLON = 58;

/** The ASCII bytes of `s` (every char code < 128). */
export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A growable output buffer, reused from one head to the next. */
export class Writer {
  /** The bytes (only the first `n` are written). */
  buf: Uint8Array;
  /** How many bytes are written. */
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
export function equalsIgnoreCase(buf: Uint8Array, at: number, name: Uint8Array): boolean {
  for (let i = 0; i < name.length; i++) {
    const b = buf[at + i];
    const c = name[i];
    if (b !== c && !(c >= 97 && c <= 122 && b === c - 32)) return false;
  }
  return true;
}

/** `buf[a, b)` as a string, one char per byte, or null when it holds a control or non-ASCII byte. */
export function asciiString(buf: Uint8Array, a: number, b: number): string | null {
  let s = "";
  for (let i = a; i < b; i++) {
    const c = buf[i];
    if (c < 32 || c > 126) return null;
    s += String.fromCharCode(c);
  }
  return s;
}

/** `buf[a, b)` as a latin1 string (for error messages and rare paths). */
export function latin1String(buf: Uint8Array, a: number, b: number): string {
  let s = "";
  for (let i = a; i < b; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/** The decimal number in `buf[a, b)`, or -1 when it is not 1-15 digits. */
export function digits(buf: Uint8Array, a: number, b: number): number {
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
export const H = {
  Other: 0,
  Host: 1,
  ContentLength: 2,
  TransferEncoding: 3,
  Connection: 4,
  Upgrade: 5,
  Expect: 6,
  XForwardedFor: 7,
  XForwardedHost: 8,
  XForwardedProto: 9,
  Accept: 10,
  KeepAlive: 11,
  ProxyConnection: 12,
  ProxyAuthorization: 13,
  ProxyAuthenticate: 14,
  Te: 15,
  Trailer: 16,
  SecFetchDest: 17,
} as const;

/** One of `H`. */
export type HeaderId = typeof H[keyof typeof H];

/** Known names by length. */
const NAMES: [Uint8Array, HeaderId][][] = [];
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
    ["sec-fetch-dest", H.SecFetchDest],
  ] as const
) (NAMES[name.length] ??= []).push([ascii(name), id]);

/** Which of the names in `H` `buf[at, at + len)` is, ignoring case (`H.Other` for any other). */
export function headerId(buf: Uint8Array, at: number, len: number): HeaderId {
  const known = NAMES[len];
  if (known === undefined) return H.Other;
  for (const [name, id] of known) if (equalsIgnoreCase(buf, at, name)) return id;
  return H.Other;
}

/** `keep-alive` */
export const KEEP_ALIVE = ascii("keep-alive");
/** `close` */
export const CLOSE = ascii("close");
/** `chunked` */
export const CHUNKED = ascii("chunked");

/** Tokens of a `Connection` value: whether it says close / keep-alive, and other names. */
export interface ConnectionTokens {
  close: boolean;
  keepAlive: boolean;
  upgrade: boolean;
  /** Other header names it lists (lower-case), or null. */
  named: string[] | null;
}

/** Adds what the `Connection` value `buf[a, b)` says to `into`. */
export function connectionTokens(
  buf: Uint8Array,
  a: number,
  b: number,
  into: ConnectionTokens,
): void {
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
export function endsChunked(buf: Uint8Array, a: number, b: number): boolean {
  if (b - a < 7 || !equalsIgnoreCase(buf, b - 7, CHUNKED)) return false;
  for (let i = b - 8; i >= a; i--) {
    const c = buf[i];
    if (c === 44) return true;
    if (c !== SP && c !== HT) return false;
  }
  return true;
}

/** Where a header value in `buf[a, b)` starts once leading spaces and tabs are skipped. */
export function valueStart(buf: Uint8Array, a: number, b: number): number {
  while (a < b && (buf[a] === SP || buf[a] === HT)) a++;
  return a;
}

/** Where a header value in `buf[a, b)` ends once trailing spaces and tabs are cut. */
export function valueEnd(buf: Uint8Array, a: number, b: number): number {
  while (b > a && (buf[b - 1] === SP || buf[b - 1] === HT)) b--;
  return b;
}

/**
 * Adds the byte range `[start, end)` to `ranges` (flat start/end pairs), extending the last range
 * when it ends where this one starts.
 */
export function keepRange(ranges: number[], start: number, end: number): void {
  const last = ranges.length - 1;
  if (ranges[last] === start) ranges[last] = end;
  else ranges.push(start, end);
}

/** `HTTP/1.1`. */
export const HTTP11 = ascii("HTTP/1.1");

/** A `Transfer-Encoding: chunked` header line. */
export const TE_CHUNKED = ascii("transfer-encoding: chunked\r\n");
