/** Unit tests of the Content-Security-Policy planning for the capture script. */

import assert from "node:assert/strict";
import { hostSourceMatches, planCsp } from "./csp.ts";

const origin = { host: "web.localhost", port: 9090 };
const JS = "http://web.localhost:9090/_agent-procs/capture.js";
const POST = "http://web.localhost:9090/_agent-procs/console";

function plan(enforce: string | null, reportOnly: string | null = null) {
  return planCsp(enforce, reportOnly, origin, "N");
}

Deno.test("policies that already allow our URLs are kept", () => {
  assert.deepEqual(plan(null), { kind: "keep" });
  for (
    const p of [
      "script-src 'self'",
      "default-src 'self'",
      "default-src *",
      "script-src http:; connect-src 'self'",
      "default-src web.localhost:9090",
      "default-src *.localhost:*",
      "default-src http://web.localhost:9090/_agent-procs/",
      "img-src 'none'",
      "script-src 'self', default-src 'self'",
      "frame-ancestors 'none'",
    ]
  ) assert.deepEqual(plan(p), { kind: "keep" }, p);
});

Deno.test("a nonce for strict script lists; the endpoint URL for connect", () => {
  assert.deepEqual(plan("script-src 'nonce-abc'"), {
    kind: "rewrite",
    enforce: "script-src 'nonce-abc' 'nonce-N'",
    reportOnly: null,
    nonce: "N",
  });
  assert.deepEqual(plan("default-src 'none'; script-src 'nonce-abc'"), {
    kind: "rewrite",
    enforce: `default-src 'none'; script-src 'nonce-abc' 'nonce-N'; connect-src ${POST}`,
    reportOnly: null,
    nonce: "N",
  });
  assert.deepEqual(plan("script-src 'self' 'strict-dynamic' 'nonce-a'; connect-src 'none'"), {
    kind: "rewrite",
    enforce: `script-src 'self' 'strict-dynamic' 'nonce-a' 'nonce-N'; connect-src ${POST}`,
    reportOnly: null,
    nonce: "N",
  });
});

Deno.test("a list relying on 'unsafe-inline' gets our URL, not a nonce", () => {
  assert.deepEqual(plan("default-src 'none'; script-src 'unsafe-inline'"), {
    kind: "rewrite",
    enforce: `default-src 'none'; script-src 'unsafe-inline' ${JS}; connect-src ${POST}`,
    reportOnly: null,
    nonce: null,
  });
  assert.deepEqual(plan("default-src https: 'unsafe-inline'"), {
    kind: "rewrite",
    enforce: `default-src https: 'unsafe-inline' ${JS}; connect-src https: ${POST}`,
    reportOnly: null,
    nonce: null,
  });
});

Deno.test("script-src-elem wins; several policies; report-only adjusted the same way", () => {
  const r = plan(
    "script-src 'self'; script-src-elem 'none', connect-src 'self'",
    "script-src 'none'",
  );
  assert.deepEqual(r, {
    kind: "rewrite",
    enforce: "script-src 'self'; script-src-elem 'nonce-N', connect-src 'self'",
    reportOnly: "script-src 'nonce-N'",
    nonce: "N",
  });
  assert.equal(plan("script-src 'self' \u00e9").kind, "refuse");
});

Deno.test("hostSourceMatches", () => {
  assert.ok(hostSourceMatches("web.localhost:9090", origin, "/x"));
  assert.ok(hostSourceMatches("http://WEB.localhost:*", origin, "/x"));
  assert.ok(hostSourceMatches("*.localhost:9090", origin, "/x"));
  assert.ok(hostSourceMatches("*:9090", origin, "/x"));
  assert.ok(!hostSourceMatches("web.localhost", origin, "/x"), "default port 80");
  assert.ok(!hostSourceMatches("https://web.localhost:9090", origin, "/x"));
  assert.ok(!hostSourceMatches("api.localhost:9090", origin, "/x"));
  assert.ok(hostSourceMatches("web.localhost:9090/a/", origin, "/a/b"));
  assert.ok(!hostSourceMatches("web.localhost:9090/a", origin, "/a/b"));
});
