/**
 * End-to-end tests of the proxy over real HTTP (curl with an explicit Host
 * header): routing to a python http.server backend by name, the route list
 * pages, 502 pages, route switching, binding, and two proxies at once.
 */

import assert from "node:assert/strict";
import { ProxyStartError, startProxy } from "./server.ts";
import type { Route } from "./router.ts";
import {
  curl,
  curlStream,
  freePort,
  header,
  serveBackend,
  startPython,
  within,
  withProxy,
} from "../../tests/fixtures/proxy/helpers.ts";
import { connectWs } from "../../tests/fixtures/proxy/ws_client.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("proxy reaches a python http.server backend by name", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/hello.txt`, "hello from python\n");
  const py = await startPython(dir);
  try {
    await withProxy(() => [{ name: "web", port: py.port, state: "running" }], async (proxy) => {
      for (
        const host of [
          `web.localhost:${proxy.port}`,
          `WEB.LocalHost:${proxy.port}`,
          "a.b.web.localhost",
        ]
      ) {
        const r = await curl(proxy.port, host, "/hello.txt");
        assert.equal(r.status, 200, host);
        assert.equal(text(r.body), "hello from python\n", host);
      }
      const missing = await curl(proxy.port, "web.localhost", "/missing.txt");
      assert.equal(missing.status, 404);
    });
  } finally {
    await py.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("proxy answers 502 for unknown and stopped names and a refused port", async () => {
  const deadPort = freePort();
  const routes: Route[] = [
    { name: "db", port: 1234, state: "stopped" },
    { name: "dead", port: deadPort, state: "running" },
  ];
  await withProxy(() => routes, async (proxy) => {
    const unknown = await curl(proxy.port, `nope.localhost:${proxy.port}`, "/");
    assert.equal(unknown.status, 502);
    assert.match(text(unknown.body), /no process named "nope"/);
    assert.match(text(unknown.body), new RegExp(`http://localhost:${proxy.port}/`));
    const stopped = await curl(proxy.port, "db.localhost", "/", ["-H", "Accept: text/html"]);
    assert.equal(stopped.status, 502);
    assert.match(text(stopped.body), /&quot;db&quot; is stopped/);
    assert.match(text(stopped.body), new RegExp(`<a href="http://localhost:${proxy.port}/">`));
    const refused = await curl(proxy.port, "dead.localhost", "/x");
    assert.equal(refused.status, 502);
    assert.match(text(refused.body), new RegExp(`refused the connection on port ${deadPort}`));
  });
});

Deno.test("proxy lists routes as text, HTML and JSON", async () => {
  const routes: Route[] = [
    { name: "web", port: 4001, state: "running" },
    { name: "db", port: null, state: "exited" },
  ];
  await withProxy(() => routes, async (proxy) => {
    const plain = await curl(proxy.port, `localhost:${proxy.port}`, "/");
    assert.equal(plain.status, 200);
    assert.match(header(plain, "content-type") ?? "", /text\/plain/);
    assert.match(
      text(plain.body),
      new RegExp(`web\\s+running\\s+4001\\s+http://web\\.localhost:${proxy.port}`),
    );
    assert.match(text(plain.body), /db\s+exited/);
    const html = await curl(proxy.port, "127.0.0.1", "/", ["-H", "Accept: text/html,*/*"]);
    assert.match(header(html, "content-type") ?? "", /text\/html/);
    assert.match(
      text(html.body),
      new RegExp(`<a href="http://web\\.localhost:${proxy.port}/">web</a>`),
    );
    const json = await curl(proxy.port, "localhost", "/_agent-procs/routes");
    assert.match(header(json, "content-type") ?? "", /application\/json/);
    const doc = JSON.parse(text(json.body));
    assert.equal(doc.proxy_port, proxy.port);
    assert.deepEqual(
      doc.routes.map((r: { name: string; reachable: boolean }) => [r.name, r.reachable]),
      [
        ["db", false],
        ["web", true],
      ],
    );
    assert.equal((await curl(proxy.port, "localhost", "/nothing")).status, 404);
  });
});

Deno.test("the route follows the callback when the port changes", async () => {
  const a = serveBackend(() => new Response("A"));
  const b = serveBackend(() => new Response("B"));
  let port = a.addr.port;
  try {
    await withProxy(() => [{ name: "app", port, state: "running" }], async (proxy) => {
      assert.equal(text((await curl(proxy.port, "app.localhost", "/")).body), "A");
      port = b.addr.port;
      assert.equal(text((await curl(proxy.port, "app.localhost", "/")).body), "B");
    });
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
});

Deno.test("two proxies (two sessions) run on different ports with their own routes", async () => {
  const a = serveBackend(() => new Response("session one"));
  const b = serveBackend(() => new Response("session two"));
  const p1 = await startProxy({
    port: freePort(),
    routes: () => [{ name: "web", port: a.addr.port, state: "running" }],
  });
  const p2 = await startProxy({
    port: freePort(),
    routes: () => [{ name: "web", port: b.addr.port, state: "running" }],
  });
  try {
    assert.notEqual(p1.port, p2.port);
    assert.equal(text((await curl(p1.port, "web.localhost", "/")).body), "session one");
    assert.equal(text((await curl(p2.port, "web.localhost", "/")).body), "session two");
  } finally {
    await p1.close();
    await p2.close();
    await a.shutdown();
    await b.shutdown();
  }
});

Deno.test("the proxy listens on 127.0.0.1 only", async () => {
  await withProxy(() => [], async (proxy) => {
    assert.equal(proxy.url, `http://localhost:${proxy.port}`);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: proxy.port });
    conn.close();
    const others = Deno.networkInterfaces().filter((i) =>
      i.family === "IPv4" && i.address !== "127.0.0.1"
    );
    for (const other of others) {
      await assert.rejects(
        Deno.connect({ hostname: other.address, port: proxy.port }),
        Deno.errors.ConnectionRefused,
        `connecting via ${other.address}`,
      );
    }
    // The wildcard port is still free for others on the IPv6 side and 0.0.0.0 is not ours.
    await assert.rejects(Deno.connect({ hostname: "::1", port: proxy.port }));
  });
});

Deno.test("startProxy refuses a taken port and picks a free one from 9090-9190", async () => {
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    await assert.rejects(startProxy({ port: busy.addr.port, routes: () => [] }), ProxyStartError);
  } finally {
    busy.close();
  }
  const proxy = await startProxy({ port: null, routes: () => [] });
  try {
    assert.ok(proxy.port >= 9090 && proxy.port <= 9190, String(proxy.port));
    assert.equal((await curl(proxy.port, "localhost", "/")).status, 200);
  } finally {
    await proxy.close();
  }
});

Deno.test("a backend listening on ::1 only is reached too", async () => {
  const v6 = Deno.serve(
    { hostname: "::1", port: 0, onListen: () => {} },
    () => new Response("over ipv6"),
  );
  try {
    await withProxy(
      () => [{ name: "six", port: v6.addr.port, state: "running" }],
      async (proxy) => {
        for (let i = 0; i < 2; i++) {
          const r = await curl(proxy.port, "six.localhost", "/");
          assert.equal(r.status, 200);
          assert.equal(text(r.body), "over ipv6");
        }
      },
    );
  } finally {
    await v6.shutdown();
  }
});

Deno.test("close() ends open streams and WebSockets promptly", async () => {
  const backend = serveBackend((req) => {
    if (req.headers.get("upgrade") === "websocket") {
      const { response } = Deno.upgradeWebSocket(req);
      return response;
    }
    const body = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode("data: open\n\n")),
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  const proxy = await startProxy({
    port: freePort(),
    routes: () => [{ name: "app", port: backend.addr.port, state: "running" }],
  });
  const stream = curlStream(proxy.port, "app.localhost", "/events");
  const ws = await connectWs(proxy.port, "app.localhost", "/ws");
  try {
    assert.equal(ws.status, 101);
    await stream.readUntil((b) => text(b).includes("open"), "the first event");
    await within(proxy.close(), "the proxy to close", 5_000);
    const { code } = await within(stream.finish(), "curl to end", 5_000);
    assert.notEqual(code, 0, "the stream was cut, not completed");
    const f = await ws.next(5_000);
    assert.ok(f === null || f.opcode === 8, "the WebSocket was closed");
  } finally {
    ws.close();
    await stream.kill();
    await proxy.close();
    await backend.shutdown();
  }
});
