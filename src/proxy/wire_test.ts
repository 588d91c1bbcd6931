/**
 * Unit tests of the fast path's raw head handling: which requests it takes,
 * the heads it writes both ways (X-Forwarded-*, hop-by-hop lines, bytes kept
 * as sent), response framing, and the chunked scanner on every split.
 */

import assert from "node:assert/strict";
import { addressBytes, parseRequestHead, type RequestHead, upstreamHead, Writer } from "./wire.ts";
import {
  ChunkedScanner,
  clientHead,
  parseResponseHead,
  type UpstreamResponse,
} from "./wire_response.ts";
import { needsFullPath } from "./fast.ts";

const enc = new TextEncoder();
const dec = new TextDecoder(); // UTF-8 in, UTF-8 out: the bytes are passed through as they are

function request(text: string): RequestHead {
  const bytes = enc.encode(text);
  const p = parseRequestHead(bytes, 0, bytes.length);
  if (p.kind !== "head") throw new Error(`expected a head, got ${JSON.stringify(p)}`);
  return p.head;
}

function slowReason(text: string): string {
  const bytes = enc.encode(text);
  const p = parseRequestHead(bytes, 0, bytes.length);
  assert.equal(p.kind, "slow", `${JSON.stringify(text)} should take the full path`);
  return p.kind === "slow" ? p.reason : "";
}

function upstream(text: string, ip = "127.0.0.1"): string {
  const w = new Writer(16);
  upstreamHead(request(text), addressBytes(ip), w);
  return dec.decode(w.view());
}

function response(text: string, method = "GET"): UpstreamResponse {
  const bytes = enc.encode(text);
  const p = parseResponseHead(bytes, 0, bytes.length, method);
  if (p.kind !== "head") throw new Error(`expected a head, got ${JSON.stringify(p)}`);
  return p.head;
}

function toClient(text: string, close = false, method = "GET"): string {
  const w = new Writer(8);
  clientHead(response(text, method), close, w);
  return dec.decode(w.view());
}

Deno.test("parseRequestHead: a plain GET, its length and framing; incomplete heads wait", () => {
  const text = "GET /a?b=1 HTTP/1.1\r\nHost: web.localhost:9090\r\nAccept: text/html\r\n\r\n";
  const bytes = enc.encode(text + "GET /next");
  const p = parseRequestHead(bytes, 0, bytes.length);
  assert.equal(p.kind, "head");
  if (p.kind !== "head") return;
  assert.equal(p.used, text.length);
  assert.equal(p.head.method, "GET");
  assert.equal(p.head.host, "web.localhost:9090");
  assert.equal(p.head.accept, "text/html");
  assert.deepEqual(p.head.body, { kind: "none" });
  assert.equal(p.head.close, false);
  for (let cut = 0; cut < text.length; cut++) {
    assert.equal(parseRequestHead(bytes, 0, cut).kind, "incomplete", `cut at ${cut}`);
  }
  // A head that starts further into the buffer.
  const q = parseRequestHead(bytes, 3, bytes.length);
  assert.equal(q.kind, "slow");
});

Deno.test("parseRequestHead: bodies by length or chunked, and Connection: close", () => {
  assert.deepEqual(
    request("POST / HTTP/1.1\r\nHost: a.localhost\r\nContent-Length: 12\r\n\r\n").body,
    { kind: "length", length: 12 },
  );
  assert.deepEqual(
    request("POST / HTTP/1.1\r\nHost: a.localhost\r\nContent-Length: 0\r\n\r\n").body,
    { kind: "none" },
  );
  assert.deepEqual(
    request("POST / HTTP/1.1\r\nHost: a.localhost\r\nTransfer-Encoding: Chunked\r\n\r\n").body,
    { kind: "chunked" },
  );
  assert.equal(
    request("GET / HTTP/1.1\r\nHost: a.localhost\r\nConnection: close\r\n\r\n").close,
    true,
  );
});

Deno.test("parseRequestHead: paths under /_agent-procs/ are the proxy's on every host", () => {
  const r = (path: string) => request(`GET ${path} HTTP/1.1\r\nHost: a.localhost\r\n\r\n`).reserved;
  assert.equal(r("/_agent-procs/capture.js"), true);
  assert.equal(r("/_agent-procs/console?x=1"), true);
  assert.equal(r("/_agent-procs"), false);
  assert.equal(r("/app/_agent-procs/"), false);
});

Deno.test("parseRequestHead: what it leaves to the full server", () => {
  const h = "Host: a.localhost\r\n";
  assert.match(slowReason(`GET / HTTP/1.0\r\n${h}\r\n`), /HTTP\/1\.1/);
  assert.match(slowReason(`GET http://a/ HTTP/1.1\r\n${h}\r\n`), /origin form/);
  assert.match(slowReason("GET / HTTP/1.1\r\n\r\n"), /Host/);
  assert.match(slowReason(`GET / HTTP/1.1\r\n${h}${h}\r\n`), /several Host/);
  assert.match(
    slowReason(`GET / HTTP/1.1\r\n${h}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`),
    /upgrade/,
  );
  assert.match(slowReason(`POST / HTTP/1.1\r\n${h}Expect: 100-continue\r\n\r\n`), /expect/);
  assert.match(slowReason(`GET / HTTP/1.1\r\n${h}X-A: 1\r\n  folded\r\n\r\n`), /folded/);
  assert.match(
    slowReason(`POST / HTTP/1.1\r\n${h}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n`),
    /both/,
  );
  assert.match(slowReason(`POST / HTTP/1.1\r\n${h}Content-Length: 3, 3\r\n\r\n`), /Content-Length/);
  assert.match(slowReason(`POST / HTTP/1.1\r\n${h}Transfer-Encoding: gzip\r\n\r\n`), /Transfer/);
  assert.match(slowReason(`GET / HTTP/1.1\r\n${h}Connection: x-hop\r\nX-Hop: 1\r\n\r\n`), /named/);
  assert.match(slowReason(`GET / HTTP/1.1\nHost: a.localhost\n\n`), /request line|bare LF/);
  assert.match(slowReason(`GET / HTTP/1.1\r\nHost : a.localhost\r\n\r\n`), /space/);
  const big = enc.encode(`GET / HTTP/1.1\r\nX-Big: ${"x".repeat(70_000)}`);
  assert.equal(parseRequestHead(big, 0, big.length).kind, "slow");
});

Deno.test("upstreamHead keeps lines byte for byte, drops hop-by-hop ones, adds X-Forwarded-*", () => {
  const out = upstream(
    "PUT /p HTTP/1.1\r\nHost: App.localhost:9090\r\nConnection: keep-alive\r\n" +
      "Keep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic x\r\n" +
      "X-Forwarded-Host: evil\r\nX-Forwarded-Proto: https\r\nCookie: a=1; b=2\r\n" +
      "X-Name: caf\u00e9\r\nContent-Length: 2\r\n\r\n",
  );
  assert.equal(
    out,
    "PUT /p HTTP/1.1\r\nHost: App.localhost:9090\r\nCookie: a=1; b=2\r\n" +
      "X-Name: caf\u00e9\r\nContent-Length: 2\r\nx-forwarded-for: 127.0.0.1\r\n" +
      "x-forwarded-host: App.localhost:9090\r\nx-forwarded-proto: http\r\n\r\n",
  );
});

Deno.test("upstreamHead appends to X-Forwarded-For and re-announces a chunked body", () => {
  const out = upstream(
    "POST / HTTP/1.1\r\nX-Forwarded-For: 10.0.0.1\r\nHost: a.localhost\r\n" +
      "Transfer-Encoding: chunked\r\nx-forwarded-for: 10.0.0.2\r\n\r\n",
    "::1",
  );
  assert.equal(
    out,
    "POST / HTTP/1.1\r\nHost: a.localhost\r\ntransfer-encoding: chunked\r\n" +
      "x-forwarded-for: 10.0.0.1, 10.0.0.2, ::1\r\nx-forwarded-host: a.localhost\r\n" +
      "x-forwarded-proto: http\r\n\r\n",
  );
});

Deno.test("parseResponseHead: framing by method, status and headers", () => {
  const h = "HTTP/1.1 200 OK\r\n";
  assert.deepEqual(response(`${h}Content-Length: 5\r\n\r\n`).framing, {
    kind: "length",
    length: 5,
  });
  assert.deepEqual(response(`${h}Content-Length: 5, 5\r\n\r\n`).framing, {
    kind: "length",
    length: 5,
  });
  assert.deepEqual(response(`${h}Transfer-Encoding: gzip, chunked\r\n\r\n`).framing, {
    kind: "chunked",
  });
  assert.deepEqual(response(`${h}Transfer-Encoding: gzip\r\n\r\n`).framing, { kind: "close" });
  assert.deepEqual(response(`${h}\r\n`).framing, { kind: "close" });
  assert.deepEqual(response(`${h}Content-Length: 5\r\n\r\n`, "HEAD").framing, { kind: "none" });
  assert.deepEqual(response("HTTP/1.1 204 No Content\r\n\r\n").framing, { kind: "none" });
  assert.deepEqual(response("HTTP/1.1 304 Not Modified\r\n\r\n").framing, { kind: "none" });
  assert.deepEqual(response("HTTP/1.1 103 Early Hints\r\n\r\n").framing, { kind: "none" });
  const bad = enc.encode(`${h}Content-Length: 5\r\nContent-Length: 6\r\n\r\n`);
  assert.equal(parseResponseHead(bad, 0, bad.length, "GET").kind, "error");
  const garbage = enc.encode("SSH-2.0-OpenSSH\r\n\r\n");
  const g = parseResponseHead(garbage, 0, garbage.length, "GET");
  assert.ok(g.kind === "error" && /bad status line/.test(g.message));
  const part = enc.encode(`${h}Content-Le`);
  assert.equal(parseResponseHead(part, 0, part.length, "GET").kind, "incomplete");
});

Deno.test("parseResponseHead: whether the backend connection can be reused", () => {
  assert.equal(response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").reusable, true);
  assert.equal(
    response("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").reusable,
    false,
  );
  assert.equal(response("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").reusable, false);
  assert.equal(
    response("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").reusable,
    true,
  );
});

Deno.test("clientHead: HTTP/1.1, hop-by-hop lines dropped, repeated lines and bytes kept", () => {
  assert.equal(
    toClient(
      "HTTP/1.0 200 Fine\r\nSet-Cookie: a=1\r\nConnection: keep-alive, X-Resp-Hop\r\n" +
        "X-Resp-Hop: 1\r\nKeep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\n" +
        "Set-Cookie: b=2\r\nX-Reply: caf\u00e9\r\nContent-Length: 3\r\n\r\n",
    ),
    "HTTP/1.1 200 Fine\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Reply: caf\u00e9\r\n" +
      "Content-Length: 3\r\n\r\n",
  );
  // A chunked body is relayed as is: its framing lines stay.
  assert.equal(
    toClient("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n"),
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n",
  );
  // A close-delimited body is re-chunked.
  assert.equal(
    toClient("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nX-A: 1\r\n\r\n", true),
    "HTTP/1.1 200 OK\r\nX-A: 1\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
  );
  assert.equal(toClient("HTTP/1.1 404\r\n\r\n", false, "HEAD"), "HTTP/1.1 404\r\n\r\n");
});

Deno.test("ChunkedScanner finds the end of a body split at every byte, trailers included", () => {
  const body = "5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-T: 1\r\n\r\n";
  const bytes = enc.encode(body + "NEXT");
  for (let cut = 0; cut <= body.length; cut++) {
    const s = new ChunkedScanner();
    const a = s.scan(bytes, 0, cut);
    assert.equal(a, cut);
    const b = s.scan(bytes, cut, bytes.length);
    assert.equal(typeof b === "number" && cut + b, body.length, `cut at ${cut}`);
    assert.equal(s.done, true);
  }
  const plain = enc.encode("0\r\n\r\n");
  const s = new ChunkedScanner();
  assert.equal(s.scan(plain, 0, plain.length), plain.length);
  assert.equal(s.done, true);
  const bad = new ChunkedScanner();
  assert.equal(typeof bad.scan(enc.encode("zz\r\n"), 0, 4), "string");
  const noCrlf = new ChunkedScanner();
  assert.equal(typeof noCrlf.scan(enc.encode("1\r\naXY"), 0, 6), "string");
});

Deno.test("Writer grows and keeps what was written", () => {
  const w = new Writer(4);
  w.put(enc.encode("hello "));
  w.put(enc.encode("x".repeat(100)), 10, 40);
  assert.equal(dec.decode(w.view()), "hello " + "x".repeat(30));
  w.reset();
  assert.equal(w.view().length, 0);
});

Deno.test("needsFullPath: only possible page loads of browser-console routes take the full path", () => {
  const plain = { name: "a", port: 1, state: "running" as const };
  const capture = { ...plain, browserLogs: true };
  const get = (fetchDest: string | null) => ({ method: "GET", fetchDest });
  assert.equal(needsFullPath(plain, get("document")), false);
  assert.equal(needsFullPath(capture, get("document")), true);
  assert.equal(needsFullPath(capture, get("iframe")), true);
  assert.equal(needsFullPath(capture, get(null)), true, "a client that does not say (curl)");
  for (const dest of ["empty", "image", "script", "style"]) {
    assert.equal(needsFullPath(capture, get(dest)), false, dest);
  }
  assert.equal(needsFullPath(capture, { method: "POST", fetchDest: null }), false);
  assert.equal(needsFullPath(capture, { method: "HEAD", fetchDest: "document" }), false);
});

Deno.test("parseRequestHead: Sec-Fetch-Dest is read (lower-cased)", () => {
  const raw = enc.encode("GET / HTTP/1.1\r\nHost: a.localhost\r\nSec-Fetch-Dest: Image\r\n\r\n");
  const p = parseRequestHead(raw, 0, raw.length);
  assert.equal(p.kind === "head" ? p.head.fetchDest : p.kind, "image");
});
