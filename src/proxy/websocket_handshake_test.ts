/**
 * Frames that travel in the same TCP segment as a WebSocket handshake must not
 * be lost by the relay: a backend that writes its `101` head and its first
 * frame in one write (as Vite's HMR server does with `{"type":"connected"}`),
 * and a client that writes its upgrade request and its first masked frame in
 * one write. Each case runs many times, since the loss was a race.
 */

import assert from "node:assert/strict";
import { type ProxyHandle, startProxy } from "./server.ts";
import {
  freePort,
  serveBackend,
  waitFor,
  within,
  withProxy,
} from "../../tests/fixtures/proxy/helpers.ts";
import { closeInfo, connectWs, OP } from "../../tests/fixtures/proxy/ws_client.ts";
import {
  decodeClientFrame,
  rawWsBackend,
  serverTextFrame,
} from "../../tests/fixtures/proxy/raw_ws_backend.ts";

const ROUNDS = 50;
const CONNECTED = '{"type":"connected"}';
const dec = new TextDecoder();

/** Runs `fn` with a proxy whose route `app` goes to `backend`; closes both (`end` ends the backend). */
async function behindProxy(
  backend: { port: number },
  end: () => Promise<void>,
  fn: (proxy: ProxyHandle) => Promise<void>,
): Promise<void> {
  try {
    await withProxy(() => [{ name: "app", port: backend.port, state: "running" }], fn);
  } finally {
    await end();
  }
}

Deno.test("WebSocket: a first frame in the same write as the backend's 101 reaches the client", async () => {
  const backend = rawWsBackend({ afterHead: () => serverTextFrame(CONNECTED), sameWrite: true });
  await behindProxy(backend, backend.close, async (proxy) => {
    for (let i = 0; i < ROUNDS; i++) {
      const ws = await connectWs(proxy.port, `app.localhost:${proxy.port}`, "/", ["vite-hmr"]);
      try {
        assert.equal(ws.status, 101, `round ${i}`);
        const f = await ws.next(5_000);
        assert.equal(f?.opcode, OP.text, `round ${i}: no first frame`);
        assert.equal(dec.decode(f!.payload), CONNECTED, `round ${i}`);
      } finally {
        ws.close();
      }
    }
  });
});

Deno.test("WebSocket: a first frame right behind the backend's 101 reaches the client", async () => {
  const backend = rawWsBackend({ afterHead: () => serverTextFrame(CONNECTED), sameWrite: false });
  await behindProxy(backend, backend.close, async (proxy) => {
    for (let i = 0; i < ROUNDS; i++) {
      const ws = await connectWs(proxy.port, "app.localhost", "/");
      try {
        assert.equal(ws.status, 101, `round ${i}`);
        const f = await ws.next(5_000);
        assert.equal(dec.decode(f!.payload), CONNECTED, `round ${i}`);
      } finally {
        ws.close();
      }
    }
  });
});

Deno.test("WebSocket: a client frame in the same write as its upgrade request reaches the raw backend", async () => {
  const backend = rawWsBackend({ afterHead: () => new Uint8Array(0), sameWrite: true });
  await behindProxy(backend, backend.close, async (proxy) => {
    for (let i = 0; i < ROUNDS; i++) {
      const first = `hello ${i}`;
      const ws = await connectWs(proxy.port, "app.localhost", "/", [], { firstText: first });
      try {
        assert.equal(ws.status, 101, `round ${i}`);
        const got = await within(
          backend.nextFrame(),
          `round ${i}: the frame at the backend`,
          5_000,
        );
        assert.deepEqual([got.opcode, dec.decode(got.payload)], [OP.text, first], `round ${i}`);
      } finally {
        ws.close();
      }
    }
  });
});

Deno.test("WebSocket: a client frame in the same write as its upgrade request reaches a Deno backend", async () => {
  const received: string[] = [];
  const backend = serveBackend((req) => {
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.onmessage = (e) => received.push(String(e.data));
    return response;
  });
  const proxy = await startProxy({
    port: freePort(),
    routes: () => [{ name: "app", port: backend.addr.port, state: "running" }],
  });
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const ws = await connectWs(proxy.port, "app.localhost", "/", [], { firstText: `m${i}` });
      try {
        assert.equal(ws.status, 101, `round ${i}`);
        await waitFor(
          () => received.includes(`m${i}`) ? true : undefined,
          `round ${i}: the frame at the backend (got ${received.length})`,
          5_000,
        );
      } finally {
        ws.close();
      }
    }
  } finally {
    await proxy.close();
    await backend.shutdown();
  }
});

Deno.test("WebSocket: a frame and a close that came with the 101 both reach the client, in order", async () => {
  const close = Uint8Array.from([0x88, 5, 0x0f, 0xa3, ...new TextEncoder().encode("bye")]);
  const backend = rawWsBackend({
    afterHead: () => {
      const f = serverTextFrame(CONNECTED);
      const both = new Uint8Array(f.length + close.length);
      both.set(f);
      both.set(close, f.length);
      return both;
    },
    sameWrite: true,
  });
  await behindProxy(backend, backend.close, async (proxy) => {
    for (let i = 0; i < 10; i++) {
      const ws = await connectWs(proxy.port, "app.localhost", "/");
      try {
        const f = await ws.next(5_000);
        assert.equal(dec.decode(f!.payload), CONNECTED, `round ${i}`);
        const c = await ws.next(5_000);
        assert.equal(c?.opcode, OP.close, `round ${i}`);
        assert.deepEqual(closeInfo(c!), { code: 4003, reason: "bye" }, `round ${i}`);
      } finally {
        ws.close();
      }
    }
  });
});

Deno.test("WebSocket: Deno client and Deno backend that sends on open, both real", async () => {
  const backend = serveBackend((req) => {
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.onopen = () => socket.send(CONNECTED);
    socket.onmessage = (e) => socket.send(`echo ${e.data}`);
    return response;
  });
  const proxy = await startProxy({
    port: freePort(),
    routes: () => [{ name: "app", port: backend.addr.port, state: "running" }],
  });
  const client = Deno.createHttpClient({ allowHost: true });
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/`, {
        headers: { host: `app.localhost:${proxy.port}` },
        client,
      });
      const got: string[] = [];
      ws.onmessage = (e) => got.push(String(e.data));
      ws.onopen = () => ws.send(`m${i}`);
      try {
        await waitFor(
          () => got.length >= 2 ? true : undefined,
          `round ${i}: two messages (got ${JSON.stringify(got)})`,
          5_000,
        );
        assert.deepEqual(got, [CONNECTED, `echo m${i}`], `round ${i}`);
      } finally {
        const closed = new Promise((r) => ws.onclose = r);
        ws.close();
        await closed;
      }
    }
  } finally {
    client.close();
    await proxy.close();
    await backend.shutdown();
  }
});

Deno.test("decodeClientFrame unmasks a client frame", () => {
  const masked = Uint8Array.from([
    0x81,
    0x82,
    1,
    2,
    3,
    4,
    "h".charCodeAt(0) ^ 1,
    "i".charCodeAt(0) ^ 2,
  ]);
  const d = decodeClientFrame(masked);
  assert.deepEqual([d?.frame.opcode, dec.decode(d!.frame.payload), d?.used], [OP.text, "hi", 8]);
});
