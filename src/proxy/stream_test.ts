/**
 * End-to-end tests of forwarding through the proxy over real HTTP: Server-Sent
 * Events unbuffered, gzip bytes intact, 50 MB bodies streamed both ways,
 * X-Forwarded-* and hop-by-hop rules, cookies and redirects untouched.
 */

import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { type ProxyHandle, startProxy } from "./server.ts";
import {
  curl,
  curlStream,
  freePort,
  gate,
  header,
  serveBackend,
  sha256,
  startPython,
  waitFor,
  within,
} from "../../tests/fixtures/proxy/helpers.ts";

const enc = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const MB = 1024 * 1024;

async function withBackend(
  handler: Deno.ServeHandler<Deno.NetAddr>,
  fn: (proxy: ProxyHandle) => Promise<void>,
): Promise<void> {
  const backend = serveBackend(handler);
  const proxy = await startProxy({
    port: freePort(),
    routes: () => [{ name: "app", port: backend.addr.port, state: "running" }],
  });
  try {
    await fn(proxy);
  } finally {
    await proxy.close();
    await backend.shutdown();
  }
}

/** A deterministic 64 KiB block, repeated to build big bodies. */
const BLOCK = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 31 + 7) & 0xff);

Deno.test("Server-Sent Events arrive while the stream is still open", async () => {
  const second = gate();
  const sent = { first: false, second: false };
  await withBackend(() => {
    const body = new ReadableStream<Uint8Array>({
      async start(ctrl) {
        ctrl.enqueue(enc.encode("data: one\n\n"));
        sent.first = true;
        await second.promise;
        ctrl.enqueue(enc.encode("data: two\n\n"));
        sent.second = true;
        ctrl.close();
      },
    });
    return new Response(body, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
    });
  }, async (proxy) => {
    const stream = curlStream(proxy.port, "app.localhost", "/events", [
      "-H",
      "Accept-Encoding: gzip, br",
    ]);
    try {
      const first = await stream.readUntil(
        (b) => text(b).includes("data: one\n\n"),
        "the first event",
      );
      assert.equal(sent.second, false, "the backend has not sent the second event yet");
      assert.equal(text(first), "data: one\n\n");
      second.open();
      const { body, code } = await stream.finish();
      assert.equal(code, 0);
      assert.equal(text(body), "data: one\n\ndata: two\n\n");
    } finally {
      second.open();
      await stream.kill();
    }
  });
});

Deno.test("a gzip-encoded response reaches the client byte for byte", async () => {
  const plain = enc.encode("compress me please ".repeat(5000));
  const gz = new Uint8Array(gzipSync(plain));
  let acceptEncoding: string | null = null;
  await withBackend((req) => {
    acceptEncoding = req.headers.get("accept-encoding");
    return new Response(gz, {
      headers: { "content-encoding": "gzip", "content-type": "text/plain" },
    });
  }, async (proxy) => {
    const raw = await curl(proxy.port, "app.localhost", "/", ["-H", "Accept-Encoding: gzip"]);
    assert.equal(acceptEncoding, "gzip");
    assert.equal(header(raw, "content-encoding"), "gzip");
    assert.equal(header(raw, "content-length"), String(gz.length));
    assert.deepEqual(raw.body, gz);
    const decoded = await curl(proxy.port, "app.localhost", "/", ["--compressed"]);
    assert.deepEqual(decoded.body, plain);
  });
});

Deno.test("a 50 MB upload is streamed to the backend", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/upload.bin`;
  const blocks = 50 * MB / BLOCK.length;
  const whole = new Uint8Array(50 * MB);
  for (let i = 0; i < blocks; i++) whole.set(BLOCK, i * BLOCK.length);
  await Deno.writeFile(file, whole);
  try {
    await withBackend(async (req) => {
      const received = new Uint8Array(await req.arrayBuffer());
      return Response.json({ length: received.length, sha: await sha256(received) });
    }, async (proxy) => {
      const r = await curl(proxy.port, "app.localhost", "/upload", ["--data-binary", `@${file}`]);
      assert.equal(r.status, 200, text(r.body));
      assert.deepEqual(JSON.parse(text(r.body)), {
        length: whole.length,
        sha: await sha256(whole),
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a request body reaches the backend before the client has finished sending", async () => {
  const firstSeen = gate<string>();
  await withBackend(async (req) => {
    const reader = req.body!.getReader();
    const chunks: string[] = [];
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      chunks.push(text(r.value));
      if (chunks.length === 1) firstSeen.open(chunks[0]);
    }
    return new Response(chunks.join(""));
  }, async (proxy) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: proxy.port });
    try {
      const head = "POST /up HTTP/1.1\r\nHost: app.localhost\r\nTransfer-Encoding: chunked\r\n" +
        "Connection: close\r\n\r\n";
      await conn.write(enc.encode(head + "5\r\nfirst\r\n"));
      assert.equal(await within(firstSeen.promise, "the backend to see the first chunk"), "first");
      await conn.write(enc.encode("6\r\nsecond\r\n0\r\n\r\n"));
      let reply = "";
      const buf = new Uint8Array(4096);
      for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
        reply += text(buf.subarray(0, n));
      }
      assert.match(reply, /^HTTP\/1\.1 200/);
      assert.match(reply, /firstsecond/);
    } finally {
      conn.close();
    }
  });
});

Deno.test("a 50 MB download is streamed: first bytes arrive before the backend is done", async () => {
  const rest = gate();
  let produced = 0;
  const total = 50 * MB;
  await withBackend(() => {
    const body = new ReadableStream<Uint8Array>({
      async pull(ctrl) {
        if (produced === BLOCK.length) await rest.promise;
        if (produced >= total) return ctrl.close();
        ctrl.enqueue(BLOCK.slice());
        produced += BLOCK.length;
      },
    }, { highWaterMark: 0 });
    return new Response(body, { headers: { "content-type": "application/octet-stream" } });
  }, async (proxy) => {
    const stream = curlStream(proxy.port, "app.localhost", "/big");
    try {
      await stream.readUntil((b) => b.length >= BLOCK.length, "the first block");
      assert.ok(produced < total, `the backend has produced only ${produced} bytes so far`);
      rest.open();
      const { body, code } = await stream.finish();
      assert.equal(code, 0);
      assert.equal(body.length, total);
      const expected = new Uint8Array(total);
      for (let i = 0; i < total; i += BLOCK.length) expected.set(BLOCK, i);
      assert.equal(await sha256(body.slice()), await sha256(expected));
    } finally {
      rest.open();
      await stream.kill();
    }
  });
});

Deno.test("X-Forwarded-* are added, hop-by-hop headers dropped, cookies and redirects untouched", async () => {
  const dir = await Deno.makeTempDir();
  const py = await startPython(dir);
  const proxy = await startProxy({
    port: freePort(),
    routes: () => [{ name: "py", port: py.port, state: "running" }],
  });
  try {
    const host = `py.localhost:${proxy.port}`;
    const r = await curl(proxy.port, host, "/headers", [
      "-H",
      "Connection: keep-alive, X-Client-Hop",
      "-H",
      "X-Client-Hop: secret",
      "-H",
      "Keep-Alive: timeout=5",
      "-H",
      "TE: trailers",
      "-H",
      "Proxy-Authorization: Basic eDp5",
      "-H",
      "Cookie: a=1; b=2",
      "-H",
      "X-Custom: kept",
    ]);
    const seen = new Map<string, string>(JSON.parse(text(r.body)));
    assert.equal(seen.get("host"), host);
    assert.equal(seen.get("x-forwarded-for"), "127.0.0.1");
    assert.equal(seen.get("x-forwarded-host"), host);
    assert.equal(seen.get("x-forwarded-proto"), "http");
    assert.equal(seen.get("cookie"), "a=1; b=2");
    assert.equal(seen.get("x-custom"), "kept");
    for (const hop of ["x-client-hop", "keep-alive", "te", "proxy-authorization"]) {
      assert.equal(seen.has(hop), false, `${hop} reached the backend`);
    }
    const hop = await curl(proxy.port, host, "/hop");
    assert.equal(text(hop.body), "hop\n");
    const names = hop.headers.map(([k]) => k);
    for (const dropped of ["x-resp-hop", "keep-alive", "proxy-authenticate"]) {
      assert.equal(names.includes(dropped), false, `${dropped} reached the client`);
    }
    assert.equal(header(hop, "x-kept"), "yes");
    assert.deepEqual(hop.headers.filter(([k]) => k === "set-cookie").map(([, v]) => v), [
      "a=1; Path=/",
      "b=2; Path=/; HttpOnly",
    ]);
    const redirect = await curl(proxy.port, host, "/redirect");
    assert.equal(redirect.status, 302);
    assert.equal(header(redirect, "location"), "/target");
  } finally {
    await proxy.close();
    await py.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a client that disconnects mid-stream ends the backend request", async () => {
  let cancelled = false;
  await withBackend(() => {
    const body = new ReadableStream<Uint8Array>({
      start(ctrl) {
        ctrl.enqueue(enc.encode("data: hello\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  }, async (proxy) => {
    const stream = curlStream(proxy.port, "app.localhost", "/events");
    await stream.readUntil((b) => text(b).includes("hello"), "the first event");
    await stream.kill();
    await waitFor(() => cancelled ? true : undefined, "the backend stream to be cancelled");
  });
});
