/**
 * Pure HTTP/1.1 request heads for the proxy's fast path, on raw bytes: parse
 * a client request head and build the head sent to the backend (header lines
 * copied byte for byte, hop-by-hop lines dropped, `X-Forwarded-*` added).
 * Anything unusual (HTTP/1.0, upgrades, `Expect`, folded lines, odd framing,
 * bytes outside ASCII in the values the proxy reads) is reported as `slow`, so
 * the caller can hand the connection to the full `Deno.serve` path. Heads are
 * read without decoding them to strings (only the few values the proxy needs
 * are), and written into a reused `Writer`: this is the hot path. No I/O here.
 */

import { MAX_HEAD_BYTES } from "./http1.ts";
import {
  ascii,
  asciiString,
  CHUNKED,
  COLON,
  type ConnectionTokens,
  connectionTokens,
  CR,
  digits,
  equalsIgnoreCase,
  H,
  headerId,
  HT,
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

export { Writer } from "./wire_bytes.ts";

/** The last `Host` value seen, as bytes and as a string: most requests repeat it. */
let lastHost: { bytes: Uint8Array; text: string } = { bytes: new Uint8Array(0), text: "" };

/** `buf[a, b)` as a string (see `asciiString`), reusing the last one when the bytes are the same. */
function hostString(buf: Uint8Array, a: number, b: number): string | null {
  const known = lastHost.bytes;
  if (known.length === b - a) {
    let same = true;
    for (let i = 0; i < known.length; i++) {
      if (known[i] !== buf[a + i]) {
        same = false;
        break;
      }
    }
    if (same) return lastHost.text;
  }
  const text = asciiString(buf, a, b);
  if (text !== null) lastHost = { bytes: buf.slice(a, b), text };
  return text;
}

/** The prefix of the proxy's own paths on process hosts (browser-console capture). */
const RESERVED = ascii("/_agent-procs/");

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
  /** `Sec-Fetch-Dest` value (what the browser will do with the response), or null. */
  fetchDest: string | null;
  /** The path is under `/_agent-procs/`, which belongs to the proxy on every host. */
  reserved: boolean;
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
  const reserved = sp2 - (sp1 + 1) >= RESERVED.length && equalsIgnoreCase(v, sp1 + 1, RESERVED);
  const keep = [0, lf + 1];
  const values: number[] = [-1, -1];
  let accept: string | null = null;
  let fetchDest: string | null = null;
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
    const vs = valueStart(v, colon + 1, lf - 1);
    const ve = valueEnd(v, vs, lf - 1);
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
      case H.SecFetchDest:
        fetchDest = latin1String(v, vs, ve).toLowerCase();
        break;
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
    if (!drop) keepRange(keep, ls, lf + 1);
    ls = lf + 1;
  }
  if (values[0] === -1) return slow("no Host");
  const host = hostString(v, values[0], values[1]);
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
    head: {
      method,
      host,
      body,
      close: conn.close,
      raw: v.subarray(0, used),
      keep,
      values,
      accept,
      fetchDest,
      reserved,
    },
    used,
  };
}

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
