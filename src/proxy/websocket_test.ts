/**
 * End-to-end tests of the WebSocket relay: a raw WebSocket client (explicit
 * Host header) talks through the proxy to a Deno echo backend; text, binary,
 * ping/pong, sub-protocols and close codes in both directions.
 */

import assert from "node:assert/strict";
import { type ProxyHandle, startProxy } from "./server.ts";
import { closeWith, offeredProtocols } from "./websocket.ts";
import { freePort, serveBackend, waitFor } from "../../tests/fixtures/proxy/helpers.ts";
import { closeInfo, connectWs, OP } from "../../tests/fixtures/proxy/ws_client.ts";

const enc = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);

interface Seen {
  closes: { code: number; reason: string }[];
  protocol: string | null;
  cookie: string | null;
  host: string | null;
  path: string;
}

async function withEcho(fn: (proxy: ProxyHandle, seen: Seen) => Promise<void>): Promise<void> {
  const seen: Seen = { closes: [], protocol: null, cookie: null, host: null, path: "" };
  const backend = serveBackend((req) => {
    const offered = offeredProtocols(req.headers.get("sec-websocket-protocol"));
    seen.protocol = offered.includes("vite-hmr") ? "vite-hmr" : null;
    seen.cookie = req.headers.get("cookie");
    seen.host = req.headers.get("host");
    seen.path = new URL(req.url).pathname + new URL(req.url).search;
    const { socket, response } = Deno.upgradeWebSocket(
      req,
      seen.protocol ? { protocol: seen.protocol } : {},
    );
    socket.binaryType = "arraybuffer";
    socket.onmessage = (e) => {
      if (e.data === "please close") socket.close(4002, "server says bye");
      else socket.send(e.data);
    };
    socket.onclose = (e) => seen.closes.push({ code: e.code, reason: e.reason });
    return response;
  });
  const proxy = await startProxy({
    port: freePort(),
    routes: () => [{ name: "app", port: backend.addr.port, state: "running" }],
  });
  try {
    await fn(proxy, seen);
  } finally {
    await proxy.close();
    await backend.shutdown();
  }
}

Deno.test("WebSocket: text, binary, ping and a client close code pass through", async () => {
  await withEcho(async (proxy, seen) => {
    const ws = await connectWs(proxy.port, `app.localhost:${proxy.port}`, "/hmr?x=1", ["vite-hmr"]);
    try {
      assert.equal(ws.status, 101);
      assert.equal(ws.headers.get("sec-websocket-protocol"), "vite-hmr");
      assert.equal(seen.cookie, "session=abc");
      assert.equal(seen.host, `app.localhost:${proxy.port}`);
      assert.equal(seen.path, "/hmr?x=1");
      await ws.sendText("hello");
      let f = await ws.next();
      assert.deepEqual([f?.opcode, text(f!.payload)], [OP.text, "hello"]);
      const bin = Uint8Array.from({ length: 70_000 }, (_, i) => i & 0xff);
      await ws.send(OP.binary, bin);
      f = await ws.next();
      assert.equal(f?.opcode, OP.binary);
      assert.deepEqual(f?.payload, bin);
      await ws.send(OP.ping, enc.encode("are you there"));
      f = await ws.next();
      assert.deepEqual([f?.opcode, text(f!.payload)], [OP.pong, "are you there"]);
      await ws.sendClose(4001, "client done");
      f = await ws.next();
      assert.equal(f?.opcode, OP.close);
      assert.equal(closeInfo(f!).code, 4001);
      await waitFor(
        () => seen.closes.length > 0 ? true : undefined,
        "the backend to see the close",
      );
      assert.deepEqual(seen.closes[0], { code: 4001, reason: "client done" });
    } finally {
      ws.close();
    }
  });
});

Deno.test("WebSocket: a backend close code reaches the client", async () => {
  await withEcho(async (proxy) => {
    const ws = await connectWs(proxy.port, "app.localhost", "/");
    try {
      assert.equal(ws.status, 101);
      assert.equal(ws.headers.has("sec-websocket-protocol"), false);
      await ws.sendText("please close");
      const f = await ws.next();
      assert.equal(f?.opcode, OP.close);
      assert.deepEqual(closeInfo(f!), { code: 4002, reason: "server says bye" });
    } finally {
      ws.close();
    }
  });
});

Deno.test("WebSocket: a refused backend gets a 502 naming the port", async () => {
  const dead = freePort();
  const proxy = await startProxy({
    port: freePort(),
    routes: () => [{ name: "app", port: dead, state: "running" }],
  });
  try {
    const ws = await connectWs(proxy.port, "app.localhost", "/");
    ws.close();
    assert.equal(ws.status, 502);
  } finally {
    await proxy.close();
  }
});

Deno.test("closeWith maps codes a socket cannot send", async () => {
  // closeWith runs on the server-side socket, as on the proxy's client leg.
  const backend = serveBackend((req) => {
    const code = Number(new URL(req.url).searchParams.get("code"));
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.onopen = () => closeWith(socket, code, "why");
    return response;
  });
  try {
    const got: number[] = [];
    for (const code of [1005, 1006, 1001, 4000]) {
      const ws = new WebSocket(`ws://127.0.0.1:${backend.addr.port}/?code=${code}`);
      got.push(await new Promise<number>((r) => ws.onclose = (e) => r(e.code)));
    }
    assert.deepEqual(got, [1005, 1011, 1001, 4000]);
  } finally {
    await backend.shutdown();
  }
});
