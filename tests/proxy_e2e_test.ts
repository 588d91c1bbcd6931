/** End-to-end: the session proxy through the CLI — named URLs, ports, 502s, sessions, restarts. */

import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { pollUntil, type TestEnv, withEnv } from "./helpers/harness.ts";

async function curl(
  port: number,
  host: string,
  path = "/",
): Promise<{ code: number; body: string }> {
  const out = await new Deno.Command("curl", {
    args: [
      "-s",
      "-m",
      "10",
      "-w",
      "\n%{http_code}",
      "-H",
      `Host: ${host}`,
      `http://127.0.0.1:${port}${path}`,
    ],
    stdout: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const nl = text.lastIndexOf("\n");
  return { body: text.slice(0, nl), code: Number(text.slice(nl + 1)) };
}

function proxyPortOf(url: string | null): number {
  ok(url, "process has a URL");
  return Number(url.split(":").pop());
}

async function startWeb(env: TestEnv, name: string, extra: string[] = []): Promise<number> {
  const dir = `${env.home}/www-${name}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/index.html`, `hello from ${name} in ${env.session}\n`);
  const r = await env.cli([
    "run",
    "python3 -m http.server $PORT --bind $HOST",
    "--name",
    name,
    "--proxy",
    ...extra,
  ], {
    cwd: dir,
  });
  equal(r.code, 0, r.stderr);
  match(
    r.stdout,
    new RegExp(`^${name} \\(id: p\\d+, pid: \\d+, http://${name}\\.localhost:\\d+\\)\\n$`),
  );
  match(r.stderr, /^Proxy listening on http:\/\/localhost:\d+\n$/);
  await env.ok(["wait", name, "--until", "Serving HTTP", "--timeout", "20"]);
  return proxyPortOf((await env.proc(name)).url);
}

Deno.test("run --proxy: a python http.server reached by name, with an assigned port and env", async () => {
  await withEnv("px1", async (env) => {
    const port = await startWeb(env, "web");
    ok(port >= 9090 && port <= 9190, String(port));
    const row = await env.proc("web");
    ok(row.port !== null && row.port >= 4000 && row.port <= 4999, String(row.port));
    equal((await curl(port, `web.localhost:${port}`)).body, `hello from web in ${env.session}\n`);
    equal((await curl(port, `WEB.LocalHost:${port}`)).code, 200);
    equal((await curl(port, `api.web.localhost:${port}`)).code, 200);
    // The route list, and 502s for unknown and stopped names.
    const index = await curl(port, `localhost:${port}`);
    match(index.body, /web\s+running\s+\d+\s+http:\/\/web\.localhost/);
    const unknown = await curl(port, `nope.localhost:${port}`);
    equal(unknown.code, 502);
    match(unknown.body, /nope/);
    await env.ok(["stop", "web"]);
    const stopped = await curl(port, `web.localhost:${port}`);
    equal(stopped.code, 502);
    match(stopped.body, /stopped/);
    // Restart: same port, the route follows the new process.
    await env.ok(["restart", "web"]);
    await env.ok(["wait", "web", "--until", "Serving HTTP"]);
    equal((await env.proc("web")).port, row.port);
    await pollUntil(async () => (await curl(port, `web.localhost:${port}`)).code === 200, {
      what: "route back",
    });
  });
});

Deno.test("two sessions get their own proxy ports with the same process name", async () => {
  await withEnv("px2a", async (a) => {
    await withEnv("px2b", async (b) => {
      const pa = await startWeb(a, "app");
      const pb = await startWeb(b, "app");
      notEqual(pa, pb);
      match((await curl(pa, `app.localhost:${pa}`)).body, new RegExp(a.session));
      match((await curl(pb, `app.localhost:${pb}`)).body, new RegExp(b.session));
    });
  });
});

Deno.test("names must be DNS labels with the proxy; an explicit port in use is refused", async () => {
  await withEnv("px3", async (env) => {
    const bad = await env.cli(["run", "sleep 1000", "--name", "bad_name", "--proxy"]);
    equal(bad.code, 1);
    match(bad.stderr, /bad_name/);
    match(bad.stderr, /must be a DNS label/);
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const port = (listener.addr as Deno.NetAddr).port;
      const r = await env.cli(["run", "sleep 1000", "--name", "taken", "--port", String(port)]);
      equal(r.code, 1);
      match(r.stderr, new RegExp(`port ${port} is already in use`));
      // Refused before anything started: neither name has a record.
      deepEqual((await env.status()).map((p) => p.name), []);
    } finally {
      listener.close();
    }
  });
});

/** Writes a one-process stack serving "stack site" with python; `proxyLine` goes at its top. */
async function siteStack(env: TestEnv, proxyLine: string): Promise<string> {
  const dir = `${env.home}/stack`;
  await Deno.mkdir(dir);
  await Deno.writeTextFile(
    `${dir}/agent-procs.yaml`,
    `${proxyLine}processes:\n  site:\n    cmd: python3 -m http.server \${PORT:-0} --bind 127.0.0.1\n` +
      `    ready: Serving HTTP\n`,
  );
  await Deno.writeTextFile(`${dir}/index.html`, "stack site\n");
  return dir;
}

const UP_WITH_PROXY =
  /^Proxy listening on http:\/\/localhost:\d+\nstarted site \(id: p\d+, pid: \d+, http:\/\/site\.localhost:\d+\)\n/;

Deno.test("proxy: true in the config: up prints the proxy line first and gives URLs", async () => {
  await withEnv("px4", async (env) => {
    const dir = await siteStack(env, "proxy: true\n");
    match(await env.ok(["up"], { cwd: dir }), UP_WITH_PROXY);
    const port = proxyPortOf((await env.proc("site")).url);
    equal((await curl(port, `site.localhost:${port}`)).body, "stack site\n");
  });
});

Deno.test("up --proxy turns the proxy on for a config that does not ask for it", async () => {
  await withEnv("px5", async (env) => {
    const dir = await siteStack(env, "");
    const out = await env.ok(["up", "--proxy"], { cwd: dir });
    match(out, UP_WITH_PROXY);
    const port = proxyPortOf((await env.proc("site")).url);
    equal((await curl(port, `site.localhost:${port}`)).body, "stack site\n");
    // The same config without the flag has no proxy: no line and no URL.
    await env.ok(["down"], { cwd: dir });
    await withEnv("px5b", async (plain) => {
      const out2 = await plain.ok(["up"], { cwd: dir });
      ok(!out2.includes("Proxy listening"), out2);
      equal((await plain.proc("site")).url, null);
    });
  });
});
