/**
 * The proxy's fast path: one loop per client TCP connection that reads each
 * request head itself (`wire.ts`), routes it by `Host` (per request, so a
 * keep-alive connection follows restarts and can address several
 * processes) and forwards it (`fast_exchange.ts`: the rewritten head to a
 * pooled backend connection, body bytes both ways without decoding them,
 * with backpressure).
 *
 * Anything else (the proxy's own pages and 502s for down routes, paths under
 * `/_agent-procs/`, WebSocket and other upgrades, HTTP/1.0, `Expect`, page
 * loads of routes whose pages get a body transform) is handed over: the rest
 * of the client connection is spliced, byte for byte, to the proxy's internal
 * `Deno.serve` listener (`fullPort`).
 */

import type { Route } from "./router.ts";
import { routeFor } from "./router.ts";
import { parseRequestHead, type RequestHead } from "./wire.ts";
import { Client, CLIENT_BUF, type FastContext, forward, writeAll } from "./fast_exchange.ts";

export type { FastContext } from "./fast_exchange.ts";

/**
 * True when a request for `route` must take the full `Deno.serve` path: on a
 * route whose HTML pages get the browser-console script (`browserLogs`), a
 * request whose response may be a page to inject into — a `GET` the browser
 * says is a document or frame load, or one that does not say (`curl`). A
 * script's `fetch`, an image, a stylesheet (`Sec-Fetch-Dest` anything else)
 * is never injected into, so it stays on the fast path.
 */
export function needsFullPath(
  route: Route & { browserLogs?: boolean },
  head: Pick<RequestHead, "method" | "fetchDest">,
): boolean {
  if (route.browserLogs !== true || head.method !== "GET") return false;
  const dest = head.fetchDest;
  return dest === null || dest === "document" || dest === "iframe";
}

/** Copies `from` to `to` until `from` ends; then half-closes `to` (or closes both). */
async function pipe(from: Deno.Conn, to: Deno.Conn, halfClose: boolean): Promise<void> {
  const buf = new Uint8Array(CLIENT_BUF);
  try {
    for (;;) {
      const n = await from.read(buf);
      if (n === null) break;
      await writeAll(to, buf.subarray(0, n));
    }
    if (halfClose) {
      await to.closeWrite();
      return;
    }
  } catch { /* either side broke: end both */ }
  for (const c of [from, to]) {
    try {
      c.close();
    } catch { /* already closed */ }
  }
}

/** Hands the rest of the client connection (from its buffered bytes on) to the full server. */
async function splice(client: Client, ctx: FastContext): Promise<void> {
  let inner: Deno.TcpConn;
  try {
    inner = await Deno.connect({ hostname: "127.0.0.1", port: ctx.fullPort() });
  } catch {
    return;
  }
  ctx.conns.add(inner);
  try {
    inner.setNoDelay(true);
    await writeAll(inner, client.buf.subarray(client.start, client.end));
    await Promise.all([pipe(client.conn, inner, true), pipe(inner, client.conn, false)]);
  } catch {
    /* the connection broke */
  } finally {
    ctx.conns.delete(inner);
    try {
      inner.close();
    } catch { /* already closed */ }
  }
}

/** Serves one client connection until it closes (or is handed to the full server). */
export async function serveConnection(conn: Deno.TcpConn, ctx: FastContext): Promise<void> {
  const client = new Client(conn);
  ctx.conns.add(conn);
  try {
    conn.setNoDelay(true);
    for (;;) {
      let parsed = parseRequestHead(client.buf, client.start, client.end);
      while (parsed.kind === "incomplete") {
        const n = await client.read();
        if (n === null) return;
        client.end += n;
        parsed = parseRequestHead(client.buf, client.start, client.end);
      }
      if (parsed.kind === "slow" || parsed.head.reserved) return await splice(client, ctx);
      const routes = ctx.routes();
      const decision = routeFor(parsed.head.host, routes);
      if (decision.kind !== "forward") return await splice(client, ctx);
      const route = routes.find((r) => r.name === decision.name);
      if (route === undefined || needsFullPath(route, parsed.head)) {
        return await splice(client, ctx);
      }
      client.start += parsed.used;
      if (!await forward(client, parsed.head, decision.name, decision.port, ctx)) return;
    }
  } catch {
    /* the client connection broke */
  } finally {
    ctx.conns.delete(conn);
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}

/**
 * Accepts connections on `listener` and serves each; resolves once the
 * listener is closed and every connection it accepted has ended.
 */
export async function serveListener(listener: Deno.TcpListener, ctx: FastContext): Promise<void> {
  const running = new Set<Promise<void>>();
  for (;;) {
    let conn: Deno.TcpConn;
    try {
      conn = await listener.accept();
    } catch (e) {
      if (e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted) break;
      // A passing failure (out of file descriptors, a connection reset before accept):
      // keep accepting, after a pause so a persistent one does not spin.
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    const p: Promise<void> = serveConnection(conn, ctx).finally(() => running.delete(p));
    running.add(p);
  }
  await Promise.allSettled(running);
}
