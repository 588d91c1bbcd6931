/** Unit tests of `injectResponse`: decoding, `Content-Length`, CSP headers, and broken bodies. */

import assert from "node:assert/strict";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { injectResponse } from "./inject_stream.ts";

const enc = new TextEncoder();
const TAG = enc.encode('<script src="/_agent-procs/capture.js"></script>');
const PAGE = "<!doctype html><html><head><title>t</title></head><body>" +
  "<p>row</p>\n".repeat(20_000) + "</body></html>";
const WANT = PAGE.replace("<head>", `<head>${new TextDecoder().decode(TAG)}`);

function pieces(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.slice(i, i + size));
  return ReadableStream.from(parts);
}

Deno.test("gzip, deflate and br bodies are decoded, injected and sent as identity", async () => {
  const raw = enc.encode(PAGE);
  const cases: [string, Uint8Array][] = [
    ["gzip", gzipSync(raw)],
    ["deflate", deflateSync(raw)],
    ["br", brotliCompressSync(raw)],
  ];
  for (const [coding, body] of cases) {
    const res = new Response(pieces(new Uint8Array(body), 100), {
      headers: {
        "content-type": "text/html",
        "content-encoding": coding,
        "content-length": String(body.length),
        etag: '"e"',
      },
    });
    const out = injectResponse(
      res,
      coding === "br" ? "br" : coding as "gzip" | "deflate",
      TAG,
      null,
    );
    assert.equal(out.headers.get("content-encoding"), null, coding);
    assert.equal(out.headers.get("content-length"), null, coding);
    assert.equal(out.headers.get("etag"), '"e"');
    assert.equal(await out.text(), WANT, coding);
  }
});

Deno.test("an identity body gets its Content-Length raised; CSP headers replaced", async () => {
  const raw = enc.encode(PAGE);
  const res = new Response(pieces(raw, 4096), {
    status: 200,
    headers: {
      "content-type": "text/html",
      "content-length": String(raw.length),
      "content-security-policy": "script-src 'nonce-a'",
    },
  });
  const out = injectResponse(res, null, TAG, {
    enforce: "script-src 'nonce-a' 'nonce-b'",
    reportOnly: null,
  });
  assert.equal(out.headers.get("content-length"), String(raw.length + TAG.length));
  assert.equal(out.headers.get("content-security-policy"), "script-src 'nonce-a' 'nonce-b'");
  assert.equal(out.headers.get("content-security-policy-report-only"), null);
  assert.equal(await out.text(), WANT);
});

Deno.test("a corrupt gzip body errors the stream instead of ending it cleanly", async () => {
  const good = new Uint8Array(gzipSync(enc.encode(PAGE)));
  const bad = good.slice(0, 200);
  bad.fill(7, 100);
  const res = new Response(pieces(bad, 50), {
    headers: { "content-type": "text/html", "content-encoding": "gzip" },
  });
  await assert.rejects(injectResponse(res, "gzip", TAG, null).text());
});
