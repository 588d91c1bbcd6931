/**
 * End-to-end tests of `port N`: a program agent-procs did not start
 * (`python3 -m http.server`) is named by pid and command, a process of
 * another session by its lease, a listener started by agent-procs by its
 * marker, and a free port as `free`; bad input is a usage error.
 */

import { equal, match } from "node:assert/strict";
import { pollUntil, withEnv } from "./helpers/harness.ts";

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("port: a plain python3 http.server is named by pid and command; a free port is free", async () => {
  await withEnv("port", async (env) => {
    const p = freePort();
    const py = new Deno.Command("python3", {
      args: ["-m", "http.server", String(p), "--bind", "127.0.0.1"],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      const line = await pollUntil(async () => {
        const out = (await env.ok(["port", String(p)])).trim();
        return out.includes("python3 -m") ? out : null;
      }, { what: `port ${p} to show the python listener` });
      match(
        line,
        new RegExp(`^${p}: pid ${py.pid} \\(\\S*python3 -m http.server ${p} --bind 127.0.0.1\\)$`),
      );
      const json = JSON.parse(await env.ok(["port", String(p), "--json"]));
      equal(json.listener.pid, py.pid);
      equal(json.free, false);
      equal(json.owner, null);
    } finally {
      py.kill("SIGKILL");
      await py.status;
    }
    const q = freePort();
    equal((await env.ok(["port", String(q)])).trim(), `${q}: free`);
    const bad = await env.cli(["port", "70000"]);
    equal(bad.code, 1);
    match(bad.stderr, /invalid port "70000"/);
  });
});

Deno.test("port: a listener agent-procs started is named with its process and session", async () => {
  await withEnv("port-own", async (env) => {
    const p = freePort();
    await env.ok([
      "run",
      "--name",
      "srv",
      "--port",
      String(p),
      "exec python3 -m http.server $PORT --bind 127.0.0.1",
    ]);
    const pid = (await env.proc("srv")).pid;
    const line = await pollUntil(async () => {
      const out = (await env.ok(["port", String(p)], { env: { AGENT_PROCS_SESSION: "other" } }))
        .trim();
      return out.includes("python3 -m") ? out : null;
    }, { what: `port ${p} to show srv` });
    match(
      line,
      new RegExp(
        `^${p}: pid ${pid} \\(\\S*python3 -m http.server ${p} --bind 127.0.0.1\\), ` +
          `process srv of session ${env.session}$`,
      ),
    );
  });
});

Deno.test("port hint: a failure on a port another session's process holds names that process", async () => {
  await withEnv("port-hint", async (env) => {
    const p = freePort();
    const other = { env: { AGENT_PROCS_SESSION: `${env.session}-other` } };
    await env.ok([
      "run",
      "--name",
      "holder",
      "--port",
      String(p),
      "exec python3 -m http.server $PORT --bind 127.0.0.1",
    ], other);
    await pollUntil(async () => (await env.ok(["port", String(p)])).includes("python3"), {
      what: `port ${p} to be listened on`,
    });
    await env.ok([
      "run",
      "--name",
      "web",
      `echo "Error: listen EADDRINUSE: address already in use 127.0.0.1:${p}"; exit 1`,
    ]);
    const row = await pollUntil(async () => {
      const r = await env.proc("web") as { last_failure?: { hint: string | null } | null };
      return r.last_failure?.hint ? r : null;
    }, { what: "web's failure with a hint", seen: () => env.proc("web") });
    match(
      row.last_failure!.hint!,
      new RegExp(
        `^hint: port ${p} is held by pid \\d+ \\(.*python3.*\\), ` +
          `process holder of session ${env.session}-other$`,
      ),
    );
  });
});
