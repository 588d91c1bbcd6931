/** Unit tests of the console intake's rate buckets, loopback check and request handling. */

import assert from "node:assert/strict";
import { ConsoleIntake, isLoopback, REQUESTS_PER_SECOND, TokenBucket } from "./console_intake.ts";
import type { BrowserLine } from "./browser_line.ts";

Deno.test("TokenBucket refills at its rate up to its burst", () => {
  const b = new TokenBucket(10, 20, 0);
  assert.ok(b.take(20, 0));
  assert.ok(!b.take(1, 0));
  assert.ok(!b.take(2, 150));
  assert.ok(b.take(1, 150));
  assert.ok(b.take(20, 100_000));
  assert.ok(!b.take(21, 200_000), "never more than the burst");
});

Deno.test("isLoopback", () => {
  for (const h of ["127.0.0.1", "127.3.4.5", "::1", "::ffff:127.0.0.1"]) {
    assert.ok(isLoopback(h), h);
  }
  for (const h of ["10.0.0.1", "::2", "192.168.1.1"]) assert.ok(!isLoopback(h), h);
});

function req(body: string, headers: Record<string, string> = {}): Request {
  return new Request("http://web.localhost:9090/_agent-procs/console", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", host: "web.localhost:9090", ...headers },
  });
}

Deno.test("ConsoleIntake: lines to the sink, refusals, and the dropped note", async () => {
  let now = 0;
  const got: [string, BrowserLine[]][] = [];
  const intake = new ConsoleIntake((name, lines) => got.push([name, lines]), () => now);
  const one = JSON.stringify({
    entries: [{ level: "warn", text: "w", url: "http://x/a.js", line: 1, col: 2 }],
  });
  assert.equal((await intake.handle(req(one), "127.0.0.1", "web")).status, 204);
  assert.deepEqual(got, [["web", [{
    level: "warn",
    text: "[browser] warn w (http://x/a.js:1:2)",
  }]]]);
  assert.equal((await intake.handle(req(one), "10.0.0.2", "web")).status, 403);
  assert.equal(
    (await intake.handle(req(one, { "sec-fetch-site": "cross-site" }), "::1", "web")).status,
    403,
  );
  assert.equal(
    (await intake.handle(req(one, { origin: "http://web.localhost:9090" }), "::1", "web")).status,
    204,
  );
  assert.equal((await intake.handle(req("nope"), "::1", "web")).status, 400);
  got.length = 0;
  let refused = 0;
  for (let i = 0; i < 3 * REQUESTS_PER_SECOND; i++) {
    if ((await intake.handle(req(one), "::1", "web")).status === 429) refused++;
  }
  assert.ok(refused > 0);
  now += 60_000;
  assert.equal((await intake.handle(req(one), "::1", "web")).status, 204);
  const last = got[got.length - 1][1];
  assert.match(
    last[0].text,
    new RegExp(`^\\[browser\\] warn \\[agent-procs\\] ${refused} console`),
  );
  assert.equal(last[1].text, "[browser] warn w (http://x/a.js:1:2)");
  assert.equal((await intake.handle(req(one), "::1", "other")).status, 204, "per-route state");
});
