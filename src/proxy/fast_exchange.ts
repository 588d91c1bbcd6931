/**
 * One request of the proxy's fast path (`fast.ts`): the client connection's
 * buffer, writing the rewritten head to a pooled backend connection, moving
 * the request and response bodies without decoding them (only their framing
 * is tracked), retrying a stale pooled connection once, and the 502 pages.
 */

import type { Route } from "./router.ts";
import { errorPage, type Failure, flavourOf, type Page } from "./pages.ts";
import type { Upconn, UpstreamPool } from "./pool.ts";
import { encodeChunk, LAST_CHUNK } from "./http1.ts";
import { addressBytes, type RequestHead, upstreamHead, Writer } from "./wire.ts";
import {
  ChunkedScanner,
  clientHead,
  parseResponseHead,
  type UpstreamResponse,
} from "./wire_response.ts";

/** What the fast path needs from the proxy around it. */
export interface FastContext {
  /** Current routes (called for every request). */
  routes(): Route[];
  /** The proxy's public port (for error pages). */
  port(): number;
  pool: UpstreamPool;
  /** Port of the internal `Deno.serve` listener that takes over other requests. */
  fullPort(): number;
  /** Connections currently open (client and splice legs), closed by the proxy's `close`. */
  conns: Set<Deno.Conn>;
}

/** Size of a client connection's read buffer. */
export const CLIENT_BUF = 16 * 1024;
const enc = new TextEncoder();

/** Writes all of `data` to `conn`. */
export async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

/** A client connection and the bytes read from it but not yet used (`buf[start, end)`). */
export class Client {
  buf = new Uint8Array(CLIENT_BUF);
  start = 0;
  end = 0;
  #pending: Promise<number | null> | null = null;
  /** The client address, for `X-Forwarded-For`. */
  readonly ip: Uint8Array;
  /** Heads sent to the backend (with a small body appended). */
  readonly up = new Writer(1024);
  /** Heads sent to the client (with the first body bytes appended). */
  readonly down = new Writer(4096);

  constructor(readonly conn: Deno.TcpConn) {
    this.ip = addressBytes(conn.remoteAddr.hostname);
  }

  get buffered(): number {
    return this.end - this.start;
  }

  #read(): Promise<number | null> {
    if (this.start === this.end) this.start = this.end = 0;
    if (this.end === this.buf.length) {
      if (this.start > 0) {
        this.buf.copyWithin(0, this.start, this.end);
        this.end -= this.start;
        this.start = 0;
      } else {
        const bigger = new Uint8Array(this.buf.length * 2);
        bigger.set(this.buf);
        this.buf = bigger;
      }
    }
    return this.conn.read(this.buf.subarray(this.end));
  }

  /**
   * Reads more bytes into `buf` after `end` (or takes the pending `watch`
   * read): resolves to the count, which the caller adds to `end`, or null at
   * end of stream.
   */
  read(): Promise<number | null> {
    const p = this.#pending ?? this.#read();
    this.#pending = null;
    return p;
  }

  /** Like `read`, as a boolean: false at end of stream. */
  async fill(): Promise<boolean> {
    const n = await this.read();
    if (n === null) return false;
    this.end += n;
    return true;
  }

  /**
   * Starts a read (kept for the next `fill`) when nothing is buffered, and
   * calls `onGone` if it finds the connection closed or broken.
   */
  watch(onGone: () => void): void {
    if (this.#pending !== null || this.start !== this.end) return;
    // (A read in progress was already taken by `read`: the main loop only calls
    // `watch` between its reads.)
    const p = this.#read();
    this.#pending = p;
    p.then((n) => n === null && onGone(), onGone);
  }
}

const REASONS: Record<number, string> = { 502: "Bad Gateway" };

/** A page as a complete HTTP/1.1 response. */
function pageBytes(page: Page, close: boolean): Uint8Array {
  const body = enc.encode(page.body);
  const head = `HTTP/1.1 ${page.status} ${REASONS[page.status] ?? ""}\r\n` +
    `content-type: ${page.contentType}\r\ncache-control: no-store\r\n` +
    `content-length: ${body.length}\r\n${close ? "connection: close\r\n" : ""}\r\n`;
  const out = new Uint8Array(head.length + body.length);
  enc.encodeInto(head, out);
  out.set(body, head.length);
  return out;
}

/** Answers with a 502 page; returns whether the client connection can carry on. */
async function fail(
  client: Client,
  head: RequestHead,
  f: Failure,
  ctx: FastContext,
  bodyLeft: boolean,
): Promise<boolean> {
  const keep = !head.close && !bodyLeft;
  const page = errorPage(f, ctx.port(), flavourOf(head.accept));
  await writeAll(client.conn, pageBytes(page, !keep));
  return keep;
}

/** Streams the rest of the request body from the client to the backend; true once all of it was sent. */
async function pumpBody(client: Client, head: RequestHead, up: Upconn): Promise<boolean> {
  try {
    if (head.body.kind === "length") {
      let left = head.body.length;
      for (;;) {
        if (client.buffered > 0) {
          const n = Math.min(left, client.buffered);
          await up.write(client.buf.subarray(client.start, client.start + n));
          client.start += n;
          left -= n;
          if (left === 0) return true;
        } else if (!await client.fill()) return false;
      }
    }
    const scanner = new ChunkedScanner();
    for (;;) {
      if (client.buffered > 0) {
        const n = scanner.scan(client.buf, client.start, client.end);
        if (typeof n === "string") return false;
        await up.write(client.buf.subarray(client.start, client.start + n));
        client.start += n;
        if (scanner.done) return true;
      } else if (!await client.fill()) return false;
    }
  } catch {
    return false;
  }
}

/** What came of one exchange on one backend connection. */
type Outcome =
  /** The response was relayed; whether the client connection can carry on. */
  | { kind: "done"; keep: boolean }
  /** The backend answered nothing (a kept-alive connection it had closed). */
  | { kind: "stale"; bodyLeft: boolean }
  /** The backend's answer was unusable; nothing was sent to the client yet. */
  | { kind: "error"; message: string; bodyLeft: boolean };

/** The next bytes from the backend (a view of its scratch buffer, valid until the next read), or null at its end. */
function upstreamBytes(up: Upconn): Promise<Uint8Array | null> {
  return up.buf.length > 0 ? Promise.resolve(up.next()) : upstreamRead(up);
}

/** One read from the backend into its scratch buffer (a view, valid until the next read). */
async function upstreamRead(up: Upconn): Promise<Uint8Array | null> {
  const n = await up.conn.read(up.scratch);
  return n === null ? null : up.scratch.subarray(0, n);
}

/**
 * Reads the final response head, relaying interim (1xx) heads; the bytes
 * after it in `rest`. Null when the backend closed without sending a byte.
 */
async function readHead(
  up: Upconn,
  method: string,
  client: Client,
): Promise<{ res: UpstreamResponse; rest: Uint8Array } | { error: string } | null> {
  let acc: Uint8Array | null = null; // an incomplete head, copied out of the scratch buffer
  let seen = false;
  for (;;) {
    let got: Uint8Array | null;
    if (up.buf.length > 0) got = up.next();
    else {
      const n = await up.conn.read(up.scratch);
      got = n === null ? null : up.scratch.subarray(0, n);
    }
    if (got === null) return seen ? { error: "backend closed the connection mid-head" } : null;
    seen = true;
    let data: Uint8Array = got;
    if (acc !== null) {
      data = new Uint8Array(acc.length + got.length);
      data.set(acc);
      data.set(got, acc.length);
      acc = null;
    }
    while (data.length > 0) {
      const p = parseResponseHead(data, 0, data.length, method);
      if (p.kind === "error") return { error: p.message };
      if (p.kind === "incomplete") {
        acc = data.slice();
        break;
      }
      const rest = data.subarray(p.used);
      if (p.head.status >= 200) return { res: p.head, rest };
      if (p.head.status === 101) return { error: "the backend switched protocols unasked" };
      clientHead(p.head, false, client.down.reset());
      await writeAll(client.conn, client.down.view());
      data = rest;
    }
  }
}

/** Sends the request on `up` and relays the response to the client. */
async function exchange(
  client: Client,
  head: RequestHead,
  up: Upconn,
  ctx: FastContext,
): Promise<Outcome> {
  const lease = up.lease;
  let gone = false;
  const onGone = () => {
    gone = true;
    if (up.lease === lease) up.close(); // the client went away: end the backend request too
  };
  let bodyDone = head.body.kind === "none";
  let pump: Promise<boolean> | null = null;
  try {
    const w = client.up;
    const headBytes = w.n;
    if (head.body.kind === "length" && client.buffered >= head.body.length) {
      // The whole body is here: one write with the head.
      w.put(client.buf, client.start, client.start + head.body.length);
      client.start += head.body.length;
      bodyDone = true;
    }
    const out = w.view();
    const n = await up.conn.write(out);
    if (n < out.length) await up.write(out.subarray(n));
    w.n = headBytes;
  } catch {
    ctx.pool.release(up, false);
    return { kind: "stale", bodyLeft: !bodyDone };
  }
  if (bodyDone) client.watch(onGone);
  else {
    // Reading starts at once: a backend may answer before the whole body is sent.
    pump = pumpBody(client, head, up).then((ok) => {
      bodyDone = ok;
      if (!ok) up.close();
      else client.watch(onGone);
      return ok;
    });
  }
  let reusable = false;
  try {
    let got;
    try {
      got = await readHead(up, head.method, client);
    } catch (e) {
      if (gone) return { kind: "done", keep: false };
      got = { error: e instanceof Error ? e.message : String(e) };
    }
    if (got === null) {
      return gone ? { kind: "done", keep: false } : { kind: "stale", bodyLeft: !bodyDone };
    }
    if ("error" in got) return { kind: "error", message: got.error, bodyLeft: !bodyDone };
    const { res, rest } = got;
    const c = client.conn;
    const f = res.framing;
    const w = client.down.reset();
    clientHead(res, head.close, w);
    if (f.kind === "none") {
      await writeAll(c, w.view());
      reusable = res.reusable && rest.length === 0;
    } else if (f.kind === "length") {
      const first = Math.min(rest.length, f.length);
      w.put(rest, 0, first);
      const out = w.view();
      const n = await c.write(out);
      if (n < out.length) await writeAll(c, out.subarray(n));
      reusable = res.reusable && rest.length <= f.length;
      for (let left = f.length - first; left > 0;) {
        const data = await upstreamBytes(up);
        if (data === null) return { kind: "done", keep: false }; // cut short: so is the client's
        const n = Math.min(left, data.length);
        if (n < data.length) reusable = false;
        await writeAll(c, data.subarray(0, n));
        left -= n;
      }
    } else if (f.kind === "chunked") {
      const scanner = new ChunkedScanner();
      let data = rest;
      let first = true;
      for (;;) {
        const n = scanner.scan(data, 0, data.length);
        if (typeof n === "string") return { kind: "done", keep: false };
        if (first) {
          w.put(data, 0, n);
          await writeAll(c, w.view());
          first = false;
        } else if (n > 0) await writeAll(c, data.subarray(0, n));
        if (scanner.done) {
          reusable = res.reusable && n === data.length;
          break;
        }
        const next = await upstreamBytes(up);
        if (next === null) return { kind: "done", keep: false };
        data = next;
      }
    } else {
      // Close-delimited: re-chunked, so the client connection stays usable.
      await writeAll(c, w.view());
      let data: Uint8Array | null = rest;
      while (data !== null) {
        if (data.length > 0) await writeAll(c, encodeChunk(data));
        data = await upstreamBytes(up);
      }
      if (gone) return { kind: "done", keep: false };
      await writeAll(c, LAST_CHUNK);
    }
    if (gone) return { kind: "done", keep: false };
    if (pump !== null && !bodyDone) {
      // The backend answered before reading the whole body: stop sending it.
      reusable = false;
      return { kind: "done", keep: false };
    }
    return { kind: "done", keep: !head.close };
  } catch {
    reusable = false;
    return { kind: "done", keep: false };
  } finally {
    ctx.pool.release(up, reusable && bodyDone && !gone);
  }
}

/** Forwards one request to the backend on `port`; returns whether the client connection can carry on. */
export async function forward(
  client: Client,
  head: RequestHead,
  name: string,
  port: number,
  ctx: FastContext,
): Promise<boolean> {
  upstreamHead(head, client.ip, client.up.reset());
  for (let attempt = 0;; attempt++) {
    const idle = attempt === 0 ? ctx.pool.takeIdle(port) : null;
    const got = idle !== null
      ? { kind: "conn" as const, up: idle, reused: true }
      : await ctx.pool.acquire(port);
    if (got.kind === "refused") {
      return await fail(
        client,
        head,
        { kind: "refused", name, port },
        ctx,
        head.body.kind !== "none",
      );
    }
    if (got.kind === "error") {
      const f: Failure = { kind: "upstream", name, port, message: got.message };
      return await fail(client, head, f, ctx, head.body.kind !== "none");
    }
    const out = await exchange(client, head, got.up, ctx);
    if (out.kind === "done") return out.keep;
    if (
      out.kind === "stale" && got.reused && !out.bodyLeft && attempt === 0 &&
      head.body.kind === "none"
    ) continue;
    const message = out.kind === "error"
      ? out.message
      : `the backend on port ${port} closed the connection without answering`;
    return await fail(client, head, { kind: "upstream", name, port, message }, ctx, out.bodyLeft);
  }
}
