/**
 * Tests of the upstream HTTP/1.1 client through the proxy, against raw TCP
 * backends that misbehave on purpose: connection reuse, a kept-alive
 * connection closed by the backend, close-delimited bodies, truncated bodies,
 * garbage, and header bytes outside ASCII.
 */

import assert from "node:assert/strict";
import { startProxy } from "./server.ts";
import { curl, freePort, header } from "../../tests/fixtures/proxy/helpers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** What a raw backend writes for the n-th request on a connection; `close` ends the connection after it. */
type Reply = { bytes: Uint8Array; close: boolean };

interface RawBackend {
  port: number;
  connections: number;
  requests: string[];
  close(): Promise<void>;
}

async function readRequest(conn: Deno.Conn): Promise<string | null> {
  let buf = new Uint8Array(0);
  const chunk = new Uint8Array(16 * 1024);
  for (;;) {
    const s = dec.decode(buf);
    const end = s.indexOf("\r\n\r\n");
    if (end !== -1) {
      const m = /content-length: (\d+)/i.exec(s.slice(0, end));
      const want = end + 4 + (m ? Number(m[1]) : 0);
      if (buf.length >= want) return s.slice(0, want);
    }
    const n = await conn.read(chunk);
    if (n === null) return null;
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
  }
}

function rawBackend(reply: (request: string, index: number) => Reply): RawBackend {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const state: RawBackend = {
    port: listener.addr.port,
    connections: 0,
    requests: [],
    async close() {
      listener.close();
      for (const c of conns) c.close();
      await accepting;
    },
  };
  const serve = async (conn: Deno.Conn) => {
    try {
      for (;;) {
        const req = await readRequest(conn);
        if (req === null) break;
        state.requests.push(req);
        const r = reply(req, state.requests.length - 1);
        await conn.write(r.bytes);
        if (r.close) break;
      }
    } catch { /* the proxy closed it */ }
    conns.delete(conn);
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        state.connections++;
        conns.add(conn);
        void serve(conn);
      }
    } catch { /* listener closed */ }
  })();
  return state;
}

async function through(
  backend: RawBackend,
  fn: (proxyPort: number) => Promise<void>,
): Promise<void> {
  const proxy = await startProxy({
    port: freePort(),
    routes: () => [{ name: "raw", port: backend.port, state: "running" }],
  });
  try {
    await fn(proxy.port);
  } finally {
    await proxy.close();
    await backend.close();
  }
}

const ok = (body: string, extra = ""): Uint8Array =>
  enc.encode(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`);

Deno.test("kept-alive backend connections are reused", async () => {
  const backend = rawBackend((_, i) => ({ bytes: ok(`reply ${i}`), close: false }));
  await through(backend, async (port) => {
    for (let i = 0; i < 5; i++) {
      const r = await curl(port, "raw.localhost", `/${i}`);
      assert.equal(dec.decode(r.body), `reply ${i}`);
    }
    assert.equal(backend.connections, 1);
  });
});

Deno.test("a kept-alive connection the backend closed is retried on a new one", async () => {
  // HTTP/1.1 without "Connection: close", then the backend hangs up anyway.
  const backend = rawBackend((_, i) => ({ bytes: ok(`reply ${i}`), close: true }));
  await through(backend, async (port) => {
    for (let i = 0; i < 3; i++) {
      const r = await curl(port, "raw.localhost", "/");
      assert.equal(r.status, 200);
      assert.equal(dec.decode(r.body), `reply ${i}`);
    }
    assert.equal(backend.connections, 3);
  });
});

Deno.test("a close-delimited body and a HEAD response pass through", async () => {
  const backend = rawBackend((req) =>
    req.startsWith("HEAD")
      ? { bytes: enc.encode("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"), close: false }
      : { bytes: enc.encode("HTTP/1.0 200 OK\r\nX-A: 1\r\n\r\nuntil the end"), close: true }
  );
  await through(backend, async (port) => {
    const r = await curl(port, "raw.localhost", "/");
    assert.equal(dec.decode(r.body), "until the end");
    const h = await curl(port, "raw.localhost", "/", ["-I"]);
    assert.equal(header(h, "content-length"), "1234");
  });
});

Deno.test("a body cut short by the backend is not passed off as complete", async () => {
  const backend = rawBackend(() => ({
    bytes: enc.encode("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"),
    close: true,
  }));
  await through(backend, async (port) => {
    const out = await new Deno.Command("curl", {
      args: ["-sS", "-H", "Host: raw.localhost", `http://127.0.0.1:${port}/`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.success, false, "curl must see a truncated transfer");
  });
});

Deno.test("garbage from the backend is a 502 saying so", async () => {
  const backend = rawBackend(() => ({ bytes: enc.encode("SSH-2.0-OpenSSH\r\n\r\n"), close: true }));
  await through(backend, async (port) => {
    const r = await curl(port, "raw.localhost", "/");
    assert.equal(r.status, 502);
    assert.match(dec.decode(r.body), /bad status line/);
  });
});

Deno.test("header bytes outside ASCII pass through both ways", async () => {
  const backend = rawBackend(() => ({
    bytes: new Uint8Array([
      ...enc.encode("HTTP/1.1 200 OK\r\nX-Reply: caf"),
      0xe9,
      ...ok("").slice(15),
    ]),
    close: false,
  }));
  await through(backend, async (port) => {
    const r = await curl(port, "raw.localhost", "/", ["-H", "X-Name: na\u00efve"]);
    assert.equal(r.status, 200);
    assert.match(backend.requests[0], /x-name: na\u00efve/i); // name case as the client sent it
    assert.ok(r.headers.some(([k]) => k === "x-reply"));
  });
});
