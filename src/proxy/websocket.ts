/**
 * WebSocket relay: the proxy opens a WebSocket to the backend first (with the
 * client's sub-protocols, cookies and `Host`), then upgrades the client with
 * the sub-protocol the backend chose, and relays text and binary messages and
 * close codes both ways. Ping/pong is answered by the runtime on each leg
 * (Deno does not expose ping frames), which keeps both connections alive.
 */

import type { ForwardResult } from "./upstream.ts";
import { type Family, listens, type UpstreamPool } from "./pool.ts";

/** Request headers the WebSocket handshake sets itself, never copied. */
const HANDSHAKE_HEADERS = new Set([
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
  "sec-websocket-accept",
  "content-length",
]);

/** How long the backend may take to accept the WebSocket handshake. */
const OPEN_TIMEOUT_MS = 15_000;

/** True when a request asks to upgrade to a WebSocket. */
export function isWebSocketUpgrade(req: Request): boolean {
  return (req.headers.get("upgrade") ?? "").toLowerCase() === "websocket";
}

/** The sub-protocols a client offered in `Sec-WebSocket-Protocol`. */
export function offeredProtocols(value: string | null): string[] {
  if (value === null) return [];
  return value.split(",").map((p) => p.trim()).filter((p) => p !== "");
}

/** Headers for the backend handshake: the forwarded ones minus handshake-owned ones. */
export function backendHandshakeHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!HANDSHAKE_HEADERS.has(k)) out[k] = v;
  return out;
}

/** Open WebSockets of one proxy, so `close` can end them. */
export class SocketSet {
  readonly #sockets = new Set<WebSocket>();
  /** HTTP client allowed to send our own `Host` header in backend handshakes. */
  readonly client: Deno.HttpClient = Deno.createHttpClient({ allowHost: true });

  /** Tracks a socket until it closes. */
  add(ws: WebSocket): void {
    this.#sockets.add(ws);
    ws.addEventListener("close", () => this.#sockets.delete(ws));
  }

  /** Closes every tracked socket with 1001 (going away). */
  close(): void {
    for (const ws of this.#sockets) closeWith(ws, 1001, "proxy shutting down");
    this.#sockets.clear();
    this.client.close();
  }
}

/**
 * Closes `ws` with the code and reason received from the other leg. Codes a
 * socket may not send (1005 "no code", 1006 "abnormal") become a plain close
 * or 1011; a code the runtime refuses falls back to 1000.
 */
export function closeWith(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === WebSocket.CLOSING || ws.readyState === WebSocket.CLOSED) return;
  if (ws.readyState === WebSocket.CONNECTING) {
    ws.addEventListener("open", () => closeWith(ws, code, reason), { once: true });
    return;
  }
  try {
    if (code === 1005) ws.close();
    else if (code === 1006 || code === 1015) ws.close(1011, "connection to the other side lost");
    else ws.close(code, reason);
  } catch {
    try {
      ws.close(1000, reason);
    } catch {
      ws.close();
    }
  }
}

function opened(ws: WebSocket): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve(false);
      ws.close();
    }, OPEN_TIMEOUT_MS);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok);
    };
    ws.addEventListener("open", () => finish(true), { once: true });
    ws.addEventListener("error", () => finish(false), { once: true });
    ws.addEventListener("close", () => finish(false), { once: true });
  });
}

type Message = string | ArrayBuffer;

/**
 * Starts collecting what `from` delivers (messages, then its close) at once,
 * and returns the function that later names the socket to relay it to.
 *
 * The listeners must be on `from` before control returns to the event loop
 * or to any `await`: once a socket opens, the runtime reads its next frame
 * right away, and a frame that came with the handshake (in the same read as
 * the `101` head) is dispatched within the same round of microtasks. A
 * listener added after an `await` misses it for good.
 */
function collect(from: WebSocket): (to: WebSocket) => void {
  let to: WebSocket | null = null;
  const queued: Message[] = [];
  let closed: { code: number; reason: string } | null = null;
  const ready = (ws: WebSocket | null): ws is WebSocket => ws?.readyState === WebSocket.OPEN;
  const flush = () => {
    if (!ready(to)) return;
    for (const m of queued) to.send(m);
    queued.length = 0;
    if (closed !== null) closeWith(to, closed.code, closed.reason);
  };
  from.addEventListener("message", (e: MessageEvent<Message>) => {
    if (ready(to) && queued.length === 0) to.send(e.data);
    else if (to === null || to.readyState === WebSocket.CONNECTING) queued.push(e.data);
  });
  from.addEventListener("close", (e) => {
    closed = { code: e.code, reason: e.reason };
    // Not yet open: the "open" listener flushes, close included.
    if (to !== null && to.readyState !== WebSocket.CONNECTING) flush();
  });
  return (dest) => {
    to = dest;
    if (dest.readyState === WebSocket.CONNECTING) {
      dest.addEventListener("open", flush, { once: true });
    } else flush();
  };
}

type Opened =
  | { kind: "open"; ws: WebSocket; relayTo: (to: WebSocket) => void }
  | { kind: "failed"; message: string };

async function openBackend(
  sockets: SocketSet,
  req: Request,
  address: Family,
  port: number,
  headers: Record<string, string>,
): Promise<Opened> {
  const url = new URL(req.url);
  const host = address.includes(":") ? `[${address}]` : address;
  const target = `ws://${host}:${port}${url.pathname}${url.search}`;
  let ws: WebSocket;
  try {
    ws = new WebSocket(target, {
      protocols: offeredProtocols(req.headers.get("sec-websocket-protocol")),
      headers: backendHandshakeHeaders(headers),
      client: sockets.client,
    });
  } catch (e) {
    return { kind: "failed", message: `cannot open a WebSocket to ${target}: ${String(e)}` };
  }
  ws.binaryType = "arraybuffer";
  const relayTo = collect(ws);
  if (await opened(ws)) return { kind: "open", ws, relayTo };
  return { kind: "failed", message: `the WebSocket handshake with port ${port} failed` };
}

/**
 * Relays a WebSocket upgrade request to the backend on `port` (same path and
 * query). Returns the 101 response for the client, or `refused`/`error` when
 * the backend does not accept the handshake.
 */
export async function relayWebSocket(
  sockets: SocketSet,
  pool: UpstreamPool,
  req: Request,
  port: number,
  headers: Record<string, string>,
): Promise<ForwardResult> {
  const first = pool.addressFor(port);
  let result = await openBackend(sockets, req, first, port, headers);
  if (result.kind === "failed" && !await listens(first, port)) {
    const other: Family = first === "127.0.0.1" ? "::1" : "127.0.0.1";
    if (!await listens(other, port)) return { kind: "refused" };
    pool.remember(port, other);
    result = await openBackend(sockets, req, other, port, headers);
  }
  if (result.kind === "failed") return { kind: "error", message: result.message };
  const backend = result.ws;
  let upgrade: Deno.WebSocketUpgrade;
  try {
    upgrade = Deno.upgradeWebSocket(req, backend.protocol ? { protocol: backend.protocol } : {});
  } catch (e) {
    backend.close(1000, "bad upgrade request from the client");
    return { kind: "error", message: `bad WebSocket upgrade request: ${String(e)}` };
  }
  const client = upgrade.socket;
  client.binaryType = "arraybuffer";
  sockets.add(backend);
  sockets.add(client);
  collect(client)(backend);
  result.relayTo(client);
  return { kind: "response", response: upgrade.response };
}
