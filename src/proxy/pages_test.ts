/** Unit tests of the proxy's own pages: route list (text, HTML, JSON) and error pages. */

import assert from "node:assert/strict";
import { errorPage, escapeHtml, flavourOf, indexPage, notFoundPage, routesJson } from "./pages.ts";
import type { Route } from "./router.ts";

const routes: Route[] = [
  { name: "web", port: 4001, state: "running" },
  { name: "db", port: null, state: "stopped" },
];

Deno.test("flavourOf picks HTML for browsers and text otherwise", () => {
  assert.deepEqual(flavourOf("text/html,application/xhtml+xml,*/*;q=0.8"), "html");
  assert.deepEqual(flavourOf("*/*"), "text");
  assert.deepEqual(flavourOf(null), "text");
});

Deno.test("routesJson lists routes sorted with URLs and reachability", () => {
  assert.deepEqual(routesJson(routes, 9090), {
    proxy_port: 9090,
    proxy_url: "http://localhost:9090",
    routes: [
      {
        name: "db",
        state: "stopped",
        port: null,
        url: "http://db.localhost:9090",
        reachable: false,
      },
      {
        name: "web",
        state: "running",
        port: 4001,
        url: "http://web.localhost:9090",
        reachable: true,
      },
    ],
  });
});

Deno.test("indexPage text is a table", () => {
  const p = indexPage(routes, 9090, "text");
  assert.deepEqual(p.status, 200);
  assert.match(p.contentType, /text\/plain/);
  const lines = p.body.split("\n");
  assert.match(lines[1], /^NAME\s+STATE\s+PORT\s+URL$/);
  assert.match(p.body, /web\s+running\s+4001\s+http:\/\/web\.localhost:9090/);
  assert.match(p.body, /db\s+stopped\s+-\s+http:\/\/db\.localhost:9090/);
  assert.match(p.body, /_agent-procs\/routes/);
  assert.match(indexPage([], 9090, "text").body, /no processes/);
});

Deno.test("indexPage HTML links running routes and escapes", () => {
  const p = indexPage([...routes, { name: "<x>", port: 1, state: "running" }], 9090, "html");
  assert.match(p.contentType, /text\/html/);
  assert.match(p.body, /<a href="http:\/\/web\.localhost:9090\/">web<\/a>/);
  assert.ok(!p.body.includes("<x>"));
  assert.ok(p.body.includes("&lt;x&gt;"));
});

Deno.test("errorPage says why and points to the list", () => {
  const unknown = errorPage({ kind: "unknown", name: "nope" }, 9090, "text");
  assert.deepEqual(unknown.status, 502);
  assert.match(unknown.body, /no process named "nope"/);
  assert.match(unknown.body, /http:\/\/localhost:9090\//);
  assert.match(
    errorPage({ kind: "down", name: "db", state: "stopped" }, 9090, "text").body,
    /"db" is stopped/,
  );
  assert.match(
    errorPage({ kind: "refused", name: "web", port: 4001 }, 9090, "text").body,
    /port 4001/,
  );
  const html = errorPage({ kind: "unknown", name: "nope" }, 9090, "html");
  assert.match(html.body, /<a href="http:\/\/localhost:9090\/">list of routes<\/a>/);
});

Deno.test("notFoundPage and escapeHtml", () => {
  assert.deepEqual(notFoundPage("/x", 9090, "text").status, 404);
  assert.deepEqual(
    escapeHtml(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
  );
});
