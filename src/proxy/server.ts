/**
 * The session's reverse proxy: a `Deno.serve` listener on 127.0.0.1 (a given
 * port, or the first free one of 9090-9190) that routes each request by its
 * `Host` header to a process of the session, looked up per request from a
 * callback so routes follow restarts. Plain HTTP is streamed through
 * `upstream.ts`, WebSocket upgrades are relayed by `websocket.ts`, and
 * `http://localhost:PORT/` serves the route list (`pages.ts`).
 */

import type { Route } from "./router.ts";
import { routeFor } from "./router.ts";
import type { Failure, Page } from "./pages.ts";
import {
  errorPage,
  flavourOf,
  indexPage,
  notFoundPage,
  ROUTES_JSON_PATH,
  routesJson,
} from "./pages.ts";
import { serveListener } from "./fast.ts";
import { upstreamRequestHeaders } from "./headers.ts";
import { forwardHttp } from "./upstream.ts";
import { UpstreamPool } from "./pool.ts";
import { isWebSocketUpgrade, relayWebSocket, SocketSet } from "./websocket.ts";
import { PROXY_PORT_RANGE } from "./ports.ts";
import type { BrowserSink } from "./browser_line.ts";
import { BrowserCapture } from "./browser.ts";

/** The only address the proxy listens on. */
export const PROXY_HOSTNAME = "127.0.0.1";

/** Options of `startProxy`. */
export interface ProxyOptions {
  /** Port to listen on, or null for the first free port of 9090-9190. */
  port: number | null;
  /** Current routes; called for every request, so it must be cheap. */
  routes: () => Route[];
  /**
   * Receives the console lines that pages of routes with `browserLogs` post
   * to `/_agent-procs/console` (and one-off notes when a page could not get
   * the capture script). Without it the capture still runs; lines are dropped.
   */
  onBrowserLines?: BrowserSink;
}

/** A running proxy. */
export interface ProxyHandle {
  /** Port the proxy listens on (on 127.0.0.1). */
  port: number;
  /** `http://localhost:PORT`, as printed by `Proxy listening on ...`. */
  url: string;
  /** Stops listening, ends open streams and WebSockets, and resolves once done. */
  close(): Promise<void>;
}

/** The proxy could not listen (port taken, range exhausted, bad port). */
export class ProxyStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProxyStartError";
  }
}

function pageResponse(page: Page): Response {
  return new Response(page.body, {
    status: page.status,
    headers: { "content-type": page.contentType, "cache-control": "no-store" },
  });
}

function failure(f: Failure, port: number, req: Request): Response {
  return pageResponse(errorPage(f, port, flavourOf(req.headers.get("accept"))));
}

/** The request handler of a proxy listening on `port`. */
function makeHandler(
  opts: ProxyOptions,
  port: () => number,
  pool: UpstreamPool,
  sockets: SocketSet,
): (req: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>) => Promise<Response> {
  const browser = new BrowserCapture(opts.onBrowserLines);
  return async (req, info) => {
    const routes = opts.routes();
    const host = req.headers.get("host");
    const decision = routeFor(host, routes);
    switch (decision.kind) {
      case "index": {
        const flavour = flavourOf(req.headers.get("accept"));
        const path = new URL(req.url).pathname;
        if (path === ROUTES_JSON_PATH) {
          return Response.json(routesJson(routes, port()), {
            headers: { "cache-control": "no-store" },
          });
        }
        if (path === "/") return pageResponse(indexPage(routes, port(), flavour));
        return pageResponse(notFoundPage(path, port(), flavour));
      }
      case "unknown":
      case "down":
      case "noport":
        return browser.refuse(req) ?? failure(decision, port(), req);
      case "forward": {
        const own = decision.browserLogs
          ? browser.serve(req, info.remoteAddr.hostname, decision.name)
          : browser.refuse(req);
        if (own !== null) return own;
        const headers = upstreamRequestHeaders(req.headers, {
          clientIp: info.remoteAddr.hostname,
          host,
          proto: "http",
        });
        const result = isWebSocketUpgrade(req)
          ? await relayWebSocket(sockets, pool, req, decision.port, headers)
          : await forwardHttp(pool, req, decision.port, headers, info.completed);
        if (result.kind === "response") {
          return decision.browserLogs
            ? browser.inject(req, result.response, decision.name, port())
            : result.response;
        }
        const { name, port: target } = decision;
        if (result.kind === "refused") {
          return failure({ kind: "refused", name, port: target }, port(), req);
        }
        return failure(
          { kind: "upstream", name, port: target, message: result.message },
          port(),
          req,
        );
      }
    }
  };
}

/** Listens on `PROXY_HOSTNAME:port`, or returns null when the port is taken. */
function listen(port: number): Deno.TcpListener | null {
  try {
    return Deno.listen({ hostname: PROXY_HOSTNAME, port });
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse) return null;
    throw new ProxyStartError(`cannot listen on ${PROXY_HOSTNAME}:${port}: ${String(e)}`);
  }
}

function bindAny(opts: ProxyOptions): Deno.TcpListener {
  if (opts.port !== null) {
    if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
      throw new ProxyStartError(`invalid proxy port ${opts.port}: use 1-65535`);
    }
    const listener = listen(opts.port);
    if (listener !== null) return listener;
    throw new ProxyStartError(
      `proxy port ${opts.port} is already in use; choose another proxy_port or leave it out`,
    );
  }
  for (let p = PROXY_PORT_RANGE.lo; p <= PROXY_PORT_RANGE.hi; p++) {
    const listener = listen(p);
    if (listener !== null) return listener;
  }
  throw new ProxyStartError(
    `no free proxy port in ${PROXY_PORT_RANGE.lo}-${PROXY_PORT_RANGE.hi}; set proxy_port`,
  );
}

/** The internal `Deno.serve` listener that serves what the fast path hands over. */
function serveFull(handler: Deno.ServeHandler<Deno.NetAddr>): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({
    hostname: PROXY_HOSTNAME,
    port: 0,
    onListen: () => {},
    onError: (e) =>
      new Response(`500 proxy error: ${e instanceof Error ? e.message : String(e)}\n`, {
        status: 500,
        headers: { "content-type": "text/plain; charset=utf-8" },
      }),
  }, handler);
}

/**
 * Starts the proxy on `opts.port` (a `ProxyStartError` if taken) or on the
 * first free port of 9090-9190, bound to 127.0.0.1 only. The public port is
 * served by the fast path (`fast.ts`), which hands what it does not handle
 * to `makeHandler`'s `Deno.serve` on an internal loopback port.
 */
export function startProxy(opts: ProxyOptions): Promise<ProxyHandle> {
  let listener: Deno.TcpListener;
  try {
    listener = bindAny(opts);
  } catch (e) {
    return Promise.reject(e);
  }
  const bound = listener.addr.port;
  const pool = new UpstreamPool();
  const sockets = new SocketSet();
  const server = serveFull(makeHandler(opts, () => bound, pool, sockets));
  const conns = new Set<Deno.Conn>();
  const serving = serveListener(listener, {
    routes: opts.routes,
    port: () => bound,
    pool,
    fullPort: () => server.addr.port,
    conns,
  });
  let closing: Promise<void> | null = null;
  return Promise.resolve({
    port: bound,
    url: `http://localhost:${bound}`,
    close() {
      closing ??= (async () => {
        sockets.close();
        pool.close();
        listener.close();
        for (const c of conns) {
          try {
            c.close();
          } catch { /* already closed */ }
        }
        await serving;
        await server.shutdown();
      })();
      return closing;
    },
  });
}
