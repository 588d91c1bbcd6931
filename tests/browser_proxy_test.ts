/**
 * The proxy's browser-console capture in a real headless Chromium
 * (tests/helpers/chromium.ts): pages of a route with `browserLogs` get the
 * capture script and their console reaches `onBrowserLines`, pages render
 * the same with injection on as off (gzip, strict Content-Security-Policies,
 * a page with its own `console`), and non-page traffic (JSON, an image, a
 * 304, HEAD, SSE, a WebSocket) is byte-identical with injection on and off.
 * Each backend is served under two names: `on` (browserLogs) and `off`.
 */

import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import http from "node:http";
import { Buffer } from "node:buffer";
import { startProxy } from "../src/proxy/server.ts";
import type { BrowserLine } from "../src/proxy/browser_line.ts";
import type { Route } from "../src/proxy/router.ts";
import { type Chromium, launchChromium, type Page } from "./helpers/chromium.ts";
import {
  curl,
  curlStream,
  freePort,
  header,
  serveBackend,
  waitFor,
} from "./fixtures/proxy/helpers.ts";
import { connectWs, OP } from "./fixtures/proxy/ws_client.ts";

const enc = new TextEncoder();

function html(body: string, head = "<title>t</title>"): string {
  return `<!doctype html><html lang="en"><head>${head}</head><body>${body}</body></html>`;
}

const APP_JS = 'console.log("hello");\nconsole.warn("careful", {a: 1, b: [1, 2]});\nnull.x;\n';
const PNG = Uint8Array.from({ length: 3000 }, (_, i) => (i * 37 + 11) & 255);

/** The test backend: every page and resource the tests use. */
function backend(req: Request): Response {
  const url = new URL(req.url);
  const page = (body: string, headers: Record<string, string> = {}) =>
    new Response(body, { headers: { "content-type": "text/html; charset=utf-8", ...headers } });
  switch (url.pathname) {
    case "/console":
      return page(html('<p id="t">console page</p><script src="/app.js"></script>'));
    case "/app.js":
      return new Response(APP_JS, { headers: { "content-type": "text/javascript" } });
    case "/gzip": {
      const body = html('<p>zipped page</p><script>console.info("from gzip")</script>');
      return new Response(new Uint8Array(gzipSync(enc.encode(body))), {
        headers: {
          "content-type": "text/html",
          "content-encoding": "gzip",
          "vary": "accept-encoding",
        },
      });
    }
    case "/csp-self":
      return page(
        html('<p id="out">waiting</p><script src="/self.js"></script>'),
        { "content-security-policy": "script-src 'self'" },
      );
    case "/self.js":
      return new Response(
        'document.getElementById("out").textContent = "self script ran"; console.log("csp self");',
        { headers: { "content-type": "text/javascript" } },
      );
    case "/csp-nonce":
      return page(
        html(
          '<p id="out">waiting</p><script nonce="abc">document.getElementById("out").textContent = ' +
            '"nonce script ran"; console.log("csp nonce");</script>' +
            '<script>document.body.append("BAD")</script>',
        ),
        { "content-security-policy": "default-src 'none'; script-src 'nonce-abc'" },
      );
    case "/csp-inline":
      return page(
        html(
          '<p id="out">waiting</p><script>document.getElementById("out").textContent = ' +
            '"inline ran"; console.error("csp inline");</script>',
        ),
        { "content-security-policy": "default-src 'none'; script-src 'unsafe-inline'" },
      );
    case "/own-console":
      return page(html(
        '<p id="out">waiting</p><script>window.console = {log: function () {}}; ' +
          'console.log("mine"); document.getElementById("out").textContent = "own console ok";' +
          "</script>",
      ));
    case "/zstd":
      return new Response(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]), {
        headers: { "content-type": "text/html", "content-encoding": "zstd" },
      });
    case "/data.json":
      return Response.json({ html: "<head></head>", n: 1 });
    case "/image.png":
      return new Response(PNG, { headers: { "content-type": "image/png" } });
    case "/etag": {
      if (req.headers.get("if-none-match") === '"v1"') {
        return new Response(null, { status: 304, headers: { etag: '"v1"' } });
      }
      return page(html("<p>cached</p>"), { etag: '"v1"' });
    }
    case "/events": {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(enc.encode("data: <head>one</head>\n\n"));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    }
    case "/ws": {
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.onmessage = (e) => socket.send(`echo ${e.data}`);
      return response;
    }
  }
  return new Response("not found", { status: 404 });
}

interface Fixture {
  proxyPort: number;
  lines: BrowserLine[];
  byName: Map<string, BrowserLine[]>;
}

async function withFixture(fn: (f: Fixture) => Promise<void>): Promise<void> {
  const server = serveBackend(backend);
  const lines: BrowserLine[] = [];
  const byName = new Map<string, BrowserLine[]>();
  const routes = (): Route[] => [
    { name: "on", port: server.addr.port, state: "running", browserLogs: true },
    { name: "off", port: server.addr.port, state: "running" },
  ];
  const proxy = await startProxy({
    port: freePort(),
    routes,
    onBrowserLines: (name, got) => {
      lines.push(...got);
      byName.set(name, [...(byName.get(name) ?? []), ...got]);
    },
  });
  try {
    await fn({ proxyPort: proxy.port, lines, byName });
  } finally {
    await proxy.close();
    await server.shutdown();
  }
}

async function waitLines(f: Fixture, pred: (l: BrowserLine) => boolean, n: number, ms = 2000) {
  return await waitFor(
    () => {
      const got = f.lines.filter(pred);
      return got.length >= n ? got : undefined;
    },
    `${n} browser lines; have ${JSON.stringify(f.lines.map((l) => l.text))}`,
    ms,
  );
}

const bodyText = "document.body.innerText";

Deno.test("browser console through the proxy, in headless Chromium", async (t) => {
  await withFixture(async (f) => {
    const chromium: Chromium = await launchChromium();
    try {
      const page: Page = await chromium.openPage();
      const on = (path: string) => `http://on.localhost:${f.proxyPort}${path}`;
      const off = (path: string) => `http://off.localhost:${f.proxyPort}${path}`;

      await t.step("log, warn and an uncaught TypeError reach the sink within 2 s", async () => {
        await page.goto(on("/console"));
        const got = await waitLines(f, (l) => !l.text.includes("[agent-procs]"), 3);
        assert.deepEqual(got.map((l) => l.level), ["log", "warn", "error"]);
        const app = on("/app.js");
        assert.equal(got[0].text, `[browser] log hello (${app}:1:9)`);
        assert.equal(got[1].text, `[browser] warn careful {"a":1,"b":[1,2]} (${app}:2:9)`);
        assert.match(got[2].text, /^\[browser\] error Uncaught TypeError: Cannot read prop.*null/);
        assert.ok(got[2].text.endsWith(` (${app}:3:6)`), got[2].text);
        assert.equal(await page.evaluate(bodyText), "console page");
      });

      /** CSP messages Chromium logged while loading `url`. */
      const cspLog = async (url: string) => {
        const from = page.browserLog.length;
        await page.goto(url);
        const text = await page.evaluate(bodyText);
        return { text, csp: page.browserLog.slice(from).filter((l) => /Security.Policy/i.test(l)) };
      };
      const same = async (path: string, expect: string, logged: RegExp) => {
        f.lines.length = 0;
        const plain = await cspLog(off(path));
        const injected = await cspLog(on(path));
        assert.equal(plain.text, expect, path);
        assert.equal(injected.text, plain.text, path);
        await waitLines(f, (l) => logged.test(l.text), 1);
        // the page's own violations (if any) happen the same way, none is about our URLs
        assert.equal(injected.csp.length, plain.csp.length, injected.csp.join("\n"));
        assert.deepEqual(injected.csp.filter((l) => l.includes("_agent-procs")), []);
      };

      await t.step("a gzip-encoded page renders the same and its console arrives", async () => {
        await same("/gzip", "zipped page", /^\[browser\] info from gzip \(/);
      });
      await t.step("Content-Security-Policy script-src 'self'", async () => {
        await same("/csp-self", "self script ran", /^\[browser\] log csp self \(/);
      });
      await t.step(
        "a strict nonce policy: the page's own blocked script stays blocked",
        async () => {
          await same("/csp-nonce", "nonce script ran", /^\[browser\] log csp nonce \(/);
        },
      );
      await t.step("a policy relying on 'unsafe-inline' keeps its inline scripts", async () => {
        await same("/csp-inline", "inline ran", /^\[browser\] error csp inline \(/);
      });
      await t.step("a page that replaces console still loads", async () => {
        await page.goto(on("/own-console"));
        assert.equal(await page.evaluate(bodyText), "own console ok");
        assert.equal(await page.evaluate("typeof console.log"), "function");
      });
      await page.close();
    } finally {
      await chromium.close();
    }
  });
});

function comparable(r: { status: number; headers: [string, string][]; body: Uint8Array }) {
  return {
    status: r.status,
    headers: r.headers.filter(([k]) => k !== "date"),
    body: Array.from(r.body),
  };
}

Deno.test("non-page traffic is byte-identical with injection on and off", async () => {
  await withFixture(async (f) => {
    const browserish = ["-H", "Accept: text/html,*/*", "-H", "Sec-Fetch-Dest: document"];
    const cases: [string, string[]][] = [
      ["/data.json", browserish],
      ["/image.png", browserish],
      ["/etag", [...browserish, "-H", 'If-None-Match: "v1"']],
      ["/console", ["-I", ...browserish]],
      ["/console", [...browserish, "-H", "Sec-Fetch-Dest: empty"]],
      ["/console", [...browserish, "-H", "Range: bytes=0-10"]],
    ];
    for (const [path, args] of cases) {
      const a = await curl(f.proxyPort, `on.localhost:${f.proxyPort}`, path, args);
      const b = await curl(f.proxyPort, `off.localhost:${f.proxyPort}`, path, args);
      assert.deepEqual(comparable(a), comparable(b), `${path} ${args.join(" ")}`);
    }
    // an encoding the proxy cannot decode: passed on untouched, said once in the log
    for (let i = 0; i < 2; i++) {
      const z = await curl(f.proxyPort, `on.localhost:${f.proxyPort}`, "/zstd", browserish);
      assert.deepEqual(Array.from(z.body), [0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]);
    }
    assert.deepEqual(f.byName.get("on")?.map((l) => l.level), ["warn"]);
    assert.match(
      f.lines[0].text,
      /^\[browser\] warn \[agent-procs\] console capture not injected: .*zstd.* \(http:\/\/on\.localhost:\d+\/zstd\)$/,
    );
    const etag = await curl(f.proxyPort, `on.localhost:${f.proxyPort}`, "/etag", [
      "-H",
      'If-None-Match: "v1"',
    ]);
    assert.equal(etag.status, 304);
    const head = await curl(f.proxyPort, `on.localhost:${f.proxyPort}`, "/console", ["-I"]);
    assert.equal(head.body.length, 0);

    const sse = async (name: string) => {
      const s = curlStream(f.proxyPort, `${name}.localhost:${f.proxyPort}`, "/events");
      try {
        return new TextDecoder().decode(
          await s.readUntil((b) => b.length >= 24, `${name}: first event`),
        );
      } finally {
        await s.kill();
      }
    };
    assert.equal(await sse("on"), await sse("off"));
    assert.equal(await sse("on"), "data: <head>one</head>\n\n");

    for (const name of ["on", "off"]) {
      const ws = await connectWs(f.proxyPort, `${name}.localhost:${f.proxyPort}`, "/ws");
      try {
        assert.equal(ws.status, 101);
        await ws.send(OP.text, enc.encode("<head>hi"));
        const frame = await ws.next(5000);
        assert.equal(new TextDecoder().decode(frame?.payload), "echo <head>hi", name);
      } finally {
        ws.close();
      }
    }
    // the page itself does change: that is the point
    const page = await curl(f.proxyPort, `on.localhost:${f.proxyPort}`, "/console", browserish);
    const text = new TextDecoder().decode(page.body);
    assert.ok(text.includes('<head><script src="/_agent-procs/capture.js"></script><title>'), text);
    assert.equal(Number(header(page, "content-length")), page.body.length);
  });
});

/** POSTs `body` to the console path with node:http (which sends our Host header), keep-alive. */
function post(
  agent: http.Agent,
  port: number,
  host: string,
  body: string,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      agent,
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/_agent-procs/console",
      headers: { host, "content-length": String(Buffer.byteLength(body)), ...headers },
    }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

Deno.test("the console endpoint refuses unknown routes, big bodies, other origins and floods", async () => {
  await withFixture(async (f) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const on = `on.localhost:${f.proxyPort}`;
    const one = JSON.stringify({ entries: [{ level: "log", text: "x" }] });
    try {
      assert.equal(await post(agent, f.proxyPort, `nope.localhost:${f.proxyPort}`, one), 404);
      assert.equal(await post(agent, f.proxyPort, `off.localhost:${f.proxyPort}`, one), 404);
      const big = JSON.stringify({ entries: [{ level: "log", text: "x".repeat(70_000) }] });
      assert.equal(await post(agent, f.proxyPort, on, big), 413);
      assert.equal(await post(agent, f.proxyPort, on, one, { "content-type": "text/plain" }), 415);
      assert.equal(
        await post(agent, f.proxyPort, on, one, {
          "content-type": "application/json",
          origin: "http://evil.localhost:1234",
        }),
        403,
      );
      assert.equal(await post(agent, f.proxyPort, on, '{"entries": [{"level": "shout"}]}'), 400);
      assert.equal(await post(agent, f.proxyPort, on, one), 204);
      await waitLines(f, (l) => l.text === "[browser] log x", 1);

      // a flood over the rate cap gets 429s while another request still answers quickly
      const flood = Array.from({ length: 600 }, () => post(agent, f.proxyPort, on, one));
      const t0 = performance.now();
      const normal = await curl(f.proxyPort, on, "/data.json");
      const normalMs = performance.now() - t0;
      const codes = await Promise.all(flood);
      assert.equal(normal.status, 200);
      assert.ok(
        normalMs < 1000,
        `a normal request took ${normalMs.toFixed(0)} ms during the flood`,
      );
      const refused = codes.filter((c) => c === 429).length;
      const accepted = codes.filter((c) => c === 204).length;
      assert.equal(refused + accepted, codes.length, `codes: ${[...new Set(codes)]}`);
      assert.ok(refused > 0, "no 429 for 600 requests at once");
      assert.ok(accepted <= 150, `${accepted} requests accepted in a burst`);
    } finally {
      agent.destroy();
    }
  });
});
