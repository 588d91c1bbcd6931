/** Unit tests of the header rules: hop-by-hop removal and X-Forwarded-*. */

import assert from "node:assert/strict";
import { connectionTokens, downstreamResponseHeaders, upstreamRequestHeaders } from "./headers.ts";

Deno.test("connectionTokens", () => {
  assert.deepEqual([...connectionTokens("keep-alive, X-Foo ,")], ["keep-alive", "x-foo"]);
  assert.deepEqual(connectionTokens(null).size, 0);
});

Deno.test("upstreamRequestHeaders drops hop-by-hop and adds X-Forwarded-*", () => {
  const src = new Headers({
    host: "web.localhost:9090",
    connection: "keep-alive, X-Secret",
    "x-secret": "1",
    "keep-alive": "timeout=5",
    te: "trailers",
    "transfer-encoding": "chunked",
    "proxy-authorization": "Basic x",
    upgrade: "h2c",
    expect: "100-continue",
    cookie: "a=1; b=2",
    "accept-encoding": "gzip",
  });
  const out = upstreamRequestHeaders(src, {
    clientIp: "127.0.0.1",
    host: "web.localhost:9090",
    proto: "http",
  });
  assert.deepEqual(out, {
    host: "web.localhost:9090",
    cookie: "a=1; b=2",
    "accept-encoding": "gzip",
    "x-forwarded-for": "127.0.0.1",
    "x-forwarded-host": "web.localhost:9090",
    "x-forwarded-proto": "http",
  });
});

Deno.test("upstreamRequestHeaders appends to an existing X-Forwarded-For", () => {
  const out = upstreamRequestHeaders(new Headers({ "x-forwarded-for": "10.0.0.1" }), {
    clientIp: "127.0.0.1",
    host: null,
    proto: "http",
  });
  assert.deepEqual(out["x-forwarded-for"], "10.0.0.1, 127.0.0.1");
  assert.deepEqual(out["x-forwarded-host"], undefined);
});

Deno.test("downstreamResponseHeaders keeps repeated Set-Cookie and drops hop-by-hop", () => {
  const h = downstreamResponseHeaders([
    ["content-type", "text/plain"],
    ["set-cookie", "a=1"],
    ["connection", "close, X-Hop"],
    ["x-hop", "1"],
    ["keep-alive", "timeout=5"],
    ["transfer-encoding", "chunked"],
    ["set-cookie", "b=2"],
    ["content-encoding", "gzip"],
  ]);
  assert.deepEqual(h.getSetCookie(), ["a=1", "b=2"]);
  assert.deepEqual([...new Set(h.keys())].sort(), [
    "content-encoding",
    "content-type",
    "set-cookie",
  ]);
});
