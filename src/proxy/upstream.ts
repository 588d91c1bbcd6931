/**
 * Forwarding one HTTP request to a backend on the loopback with a small
 * HTTP/1.1 client over `Deno.connect` (`http1.ts` parses, `pool.ts` keeps
 * connections alive). Not `fetch`: it decompresses gzip while keeping
 * `Content-Encoding`, and drops our `Host`. Not `node:http`: a first version
 * built on it ran at roughly half the requests/s of this client here. Bodies
 * stream both ways chunk by chunk with backpressure (a body that has already
 * arrived whole is passed as bytes), redirects are not followed, and the exact
 * bytes and headers the backend sent reach the client.
 */

import { downstreamResponseHeaders } from "./headers.ts";
import {
  ChunkedDecoder,
  encodeChunk,
  type Framing,
  framingOf,
  keepAlive,
  LAST_CHUNK,
  parseResponseHead,
  requestHead,
  type ResponseHead,
} from "./http1.ts";
import type { Upconn, UpstreamPool } from "./pool.ts";

/** Outcome of forwarding a request. */
export type ForwardResult =
  | { kind: "response"; response: Response }
  | { kind: "refused" }
  | { kind: "error"; message: string };

/** An exchange that failed before the backend answered anything on a reused connection. */
type Exchange = ForwardResult | { kind: "stale" };

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The request target (path and query) of an absolute request URL. */
export function targetOf(url: string): string {
  const slash = url.indexOf("/", url.indexOf("//") + 2);
  if (slash === -1) return "/";
  const hash = url.indexOf("#", slash);
  return hash === -1 ? url.slice(slash) : url.slice(slash, hash);
}

/** Streams a request body to the backend; resolves true once all of it was sent. */
async function pump(
  body: ReadableStream<Uint8Array>,
  up: Upconn,
  chunked: boolean,
): Promise<boolean> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.length > 0) await up.write(chunked ? encodeChunk(value) : value);
    }
    if (chunked) await up.write(LAST_CHUNK);
    return true;
  } catch {
    up.close();
    await reader.cancel().catch(() => {});
    return false;
  }
}

/** Reads response heads until a final (non-1xx) one; null when the connection ended first. */
async function readHead(up: Upconn): Promise<ResponseHead | null | { error: string }> {
  for (;;) {
    const parsed = parseResponseHead(up.buf);
    if (parsed.kind === "error") return { error: parsed.message };
    if (parsed.kind === "head") {
      up.take(parsed.used);
      if (parsed.head.status >= 100 && parsed.head.status < 200) continue;
      return parsed.head;
    }
    if (!await up.fill()) {
      return up.buf.length === 0 ? null : { error: "backend closed the connection mid-head" };
    }
  }
}

/** A body that streams from the connection as the client reads it. */
function bodyStream(
  up: Upconn,
  framing: Framing,
  done: (reusable: boolean) => void,
): ReadableStream<Uint8Array> {
  let left = framing.kind === "length" ? framing.length : 0;
  const decoder = framing.kind === "chunked" ? new ChunkedDecoder() : null;
  let over = false;
  const finish = (reusable: boolean) => {
    if (over) return;
    over = true;
    done(reusable);
  };
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      try {
        for (;;) {
          if (up.buf.length > 0) {
            if (framing.kind === "length") {
              const piece = up.take(Math.min(left, up.buf.length));
              left -= piece.length;
              ctrl.enqueue(piece);
              if (left === 0) {
                finish(true);
                ctrl.close();
              }
              return;
            }
            if (decoder !== null) {
              const d = decoder.push(up.buf);
              up.take(d.used);
              if (d.error !== null) {
                throw new Error(`bad chunked body from the backend: ${d.error}`);
              }
              for (const piece of d.data) if (piece.length > 0) ctrl.enqueue(piece);
              if (d.done) {
                finish(true);
                ctrl.close();
                return;
              }
              if (d.data.length > 0) return;
            } else {
              ctrl.enqueue(up.take(up.buf.length));
              return;
            }
          }
          if (!await up.fill()) {
            if (framing.kind === "close") {
              finish(false);
              ctrl.close();
              return;
            }
            throw new Error("backend closed the connection mid-body");
          }
        }
      } catch (e) {
        finish(false);
        ctrl.error(e instanceof Error ? e : new Error(messageOf(e)));
      }
    },
    cancel() {
      finish(false);
    },
  }, { highWaterMark: 0 });
}

async function exchange(
  pool: UpstreamPool,
  up: Upconn,
  req: Request,
  headers: Record<string, string>,
  completed: Promise<void>,
): Promise<Exchange> {
  const lease = up.lease;
  completed.catch(() => {
    if (up.lease === lease) up.close(); // the client went away: end the backend request too
  });
  const body = req.body;
  const chunked = body !== null && headers["content-length"] === undefined;
  const sendHeaders = chunked ? { ...headers, "transfer-encoding": "chunked" } : headers;
  let sent: boolean | null = body === null ? true : null;
  let head: ResponseHead | null | { error: string };
  try {
    // Reading starts at once: a backend may answer before the whole body is sent.
    const writing = up.write(requestHead(req.method, targetOf(req.url), sendHeaders));
    writing.then(
      () => body !== null && void pump(body, up, chunked).then((ok) => sent = ok),
      () => up.close(),
    );
    head = await readHead(up);
  } catch (e) {
    head = up.buf.length === 0 ? null : { error: messageOf(e) };
  }
  const release = (reusable: boolean) => pool.release(up, reusable && sent === true);
  if (head === null) {
    release(false);
    return { kind: "stale" };
  }
  if ("error" in head) {
    release(false);
    return { kind: "error", message: head.error };
  }
  const framing = framingOf(req.method, head);
  if (framing.kind === "error") {
    release(false);
    return { kind: "error", message: framing.message };
  }
  const status = head.status >= 200 && head.status <= 599 ? head.status : 502;
  const init = { status, statusText: head.reason };
  const reusable = keepAlive(head);
  let out: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | null = null;
  if (framing.kind === "none") release(reusable);
  else if (framing.kind === "length" && up.buf.length >= framing.length) {
    const bytes = up.take(framing.length);
    release(reusable);
    if (framing.length > 0) out = bytes;
  } else out = bodyStream(up, framing, (ok) => release(ok && reusable));
  const response = new Response(out, init);
  downstreamResponseHeaders(head.headers, response.headers);
  return { kind: "response", response };
}

/**
 * Forwards `req` to the backend on `port` with the given (already filtered)
 * headers and returns its response, or why it could not be reached.
 * `completed` is the server's promise for this exchange (`ServeHandlerInfo`):
 * when it rejects (the client went away) the backend connection is closed.
 */
export async function forwardHttp(
  pool: UpstreamPool,
  req: Request,
  port: number,
  headers: Record<string, string>,
  completed: Promise<void>,
): Promise<ForwardResult> {
  if (headers["host"] === undefined) headers = { host: `127.0.0.1:${port}`, ...headers };
  for (let attempt = 0;; attempt++) {
    const got = await pool.acquire(port);
    if (got.kind !== "conn") return got;
    const result = await exchange(pool, got.up, req, headers, completed);
    if (result.kind !== "stale") return result;
    // A kept-alive connection the backend had closed: resend once if no body was consumed.
    if (!got.reused || req.body !== null || attempt > 0) {
      return {
        kind: "error",
        message: `the backend on port ${port} closed the connection without answering`,
      };
    }
  }
}
