/** Unit tests of the pure router: host parsing, name matching, states, name validation. */

import assert from "node:assert/strict";
import {
  hostName,
  nameOfHost,
  proxyUrl,
  type Route,
  routeFor,
  validateProxyName,
} from "./router.ts";

const routes: Route[] = [
  { name: "web", port: 4001, state: "running" },
  { name: "Api", port: 4002, state: "running" },
  { name: "db", port: 4003, state: "stopped" },
  { name: "worker", port: null, state: "running" },
  { name: "crash", port: 4005, state: "failed" },
];

Deno.test("hostName strips the port and trailing dot and lower-cases", () => {
  assert.deepEqual(hostName("Web.LocalHost:9090"), "web.localhost");
  assert.deepEqual(hostName("web.localhost."), "web.localhost");
  assert.deepEqual(hostName("web.localhost.:80"), "web.localhost");
  assert.deepEqual(hostName("[::1]:9090"), "[::1]");
  assert.deepEqual(hostName("127.0.0.1"), "127.0.0.1");
});

Deno.test("nameOfHost takes the label before .localhost", () => {
  assert.deepEqual(nameOfHost("web.localhost"), "web");
  assert.deepEqual(nameOfHost("a.b.web.localhost"), "web");
  assert.deepEqual(nameOfHost("localhost"), null);
  assert.deepEqual(nameOfHost(".localhost"), null);
  assert.deepEqual(nameOfHost("example.com"), null);
});

Deno.test("routeFor: own hosts get the index", () => {
  for (
    const h of [
      null,
      "",
      "localhost",
      "localhost:9090",
      "127.0.0.1:9090",
      "[::1]:9090",
      "LOCALHOST",
    ]
  ) {
    assert.deepEqual(routeFor(h, routes), { kind: "index" }, String(h));
  }
});

Deno.test("routeFor: forwards running processes, nested and case-insensitive", () => {
  assert.deepEqual(routeFor("web.localhost:9090", routes), {
    kind: "forward",
    name: "web",
    port: 4001,
  });
  assert.deepEqual(routeFor("WEB.Localhost:9090", routes), {
    kind: "forward",
    name: "web",
    port: 4001,
  });
  assert.deepEqual(routeFor("x.y.web.localhost", routes), {
    kind: "forward",
    name: "web",
    port: 4001,
  });
  assert.deepEqual(routeFor("api.localhost", routes), { kind: "forward", name: "Api", port: 4002 });
});

Deno.test("routeFor: unknown, down and portless processes", () => {
  assert.deepEqual(routeFor("nope.localhost:9090", routes), { kind: "unknown", name: "nope" });
  assert.deepEqual(routeFor("example.com", routes), { kind: "unknown", name: "example.com" });
  assert.deepEqual(routeFor("db.localhost", routes), {
    kind: "down",
    name: "db",
    state: "stopped",
  });
  assert.deepEqual(routeFor("crash.localhost", routes), {
    kind: "down",
    name: "crash",
    state: "failed",
  });
  assert.deepEqual(routeFor("worker.localhost", routes), { kind: "noport", name: "worker" });
});

Deno.test("routeFor: the route follows the callback's current port", () => {
  const r: Route[] = [{ name: "web", port: 4001, state: "running" }];
  assert.deepEqual(routeFor("web.localhost", r), { kind: "forward", name: "web", port: 4001 });
  r[0] = { name: "web", port: 4100, state: "running" };
  assert.deepEqual(routeFor("web.localhost", r), { kind: "forward", name: "web", port: 4100 });
});

Deno.test("validateProxyName accepts DNS labels only", () => {
  for (const ok of ["web", "a", "my-app2", "A1", "x".repeat(63)]) {
    assert.deepEqual(validateProxyName(ok), null, ok);
  }
  for (const bad of ["", "-web", "web-", "my_app", "a.b", "x".repeat(64), "wéb", "a b"]) {
    const msg = validateProxyName(bad);
    assert.match(msg ?? "", /DNS label/, bad);
  }
  assert.match(validateProxyName("my_app") ?? "", /for example "my-app"/);
});

Deno.test("proxyUrl", () => {
  assert.deepEqual(proxyUrl("web", 9090), "http://web.localhost:9090");
});
