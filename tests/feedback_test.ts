/**
 * "Did my change work?" end to end, against real programs: the failure digest
 * (with the port hint naming a real holder), crash loops that make waits fail
 * fast, and the event log.
 */

import { equal, match, ok } from "node:assert/strict";
import { pollUntil, type TestEnv, withEnv } from "./helpers/harness.ts";

interface Row {
  name: string;
  state: string;
  crash_loop: boolean;
  last_failure: { reason: string; excerpt: string; hint: string | null } | null;
}

async function rows(env: TestEnv): Promise<Row[]> {
  return JSON.parse(await env.ok(["status", "--json"]));
}

async function row(env: TestEnv, name: string): Promise<Row | undefined> {
  return (await rows(env)).find((r) => r.name === name);
}

/** Starts a Python HTTP server on a free port; returns the port and its pid. */
async function pythonServer(env: TestEnv): Promise<{ port: number; pid: number }> {
  const line = await env.ok([
    "run",
    "-n",
    "holder",
    "--",
    "python3",
    "-u",
    "-c",
    [
      "import http.server, socketserver",
      "s = socketserver.TCPServer(('127.0.0.1', 0), http.server.SimpleHTTPRequestHandler)",
      "print('port', s.server_address[1])",
      "s.serve_forever()",
    ].join("\n"),
  ]);
  const pid = Number(line.match(/pid: (\d+)/)?.[1]);
  const seen = await env.ok(["wait", "holder", "--until", "port "]);
  return { port: Number(seen.trim().split(" ")[1]), pid };
}

Deno.test("digest: a Node server dying of EADDRINUSE names the line and the port's holder", async () => {
  await withEnv("digest", async (env) => {
    const { port, pid } = await pythonServer(env);
    const js = `require("http").createServer(() => {}).listen(${port}, "127.0.0.1");` +
      `console.log("\\x1b[32mstarting\\x1b[0m");`;
    await env.ok(["run", "-n", "web", "--", "node", "-e", js]);
    const failed = await pollUntil(async () => {
      const r = await row(env, "web");
      return r?.last_failure?.hint ? r : null;
    }, { what: "web's failure with a hint", seen: () => rows(env) });
    const f = failed.last_failure!;
    equal(f.reason, "exited");
    match(f.excerpt, /^Error: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+$/m);
    ok(!f.excerpt.includes("\x1b"), f.excerpt);
    ok(f.excerpt.split("\n").length <= 20);
    // The python process is the group leader's child or the leader itself: either way its pid.
    match(f.hint!, new RegExp(`^hint: port ${port} is held by pid \\d+ \\(.*python3`));
    ok(f.hint!.includes("process holder of session"), f.hint!);
    // `status NAME` shows it under the table.
    const text = await env.ok(["status", "web"]);
    match(text, /^last failure of web \(exit 1, \d+s ago\):$/m);
    match(text, /^ {2}Error: listen EADDRINUSE/m);
    ok(pid > 0);
  });
});

Deno.test("crash loop: flagged within 4 restarts, waits fail fast with the digest", async () => {
  await withEnv("loop", async (env) => {
    await env.ok([
      "run",
      "-n",
      "boom",
      "--autorestart",
      "always",
      "--restart-delay",
      "50",
      "--",
      "sh",
      "-c",
      "echo 'FATAL: config missing'; exit 1",
    ]);
    const looping = await pollUntil(async () => {
      const r = await row(env, "boom");
      return r?.crash_loop ? r : null;
    }, { what: "crash_loop on boom", seen: () => rows(env) });
    match(looping.last_failure?.excerpt ?? "", /FATAL: config missing/);
    match(await env.ok(["status"]), /boom\s+\S+\s+crashloop/);
    const t0 = Date.now();
    const w = await env.cli(["wait", "boom", "--until", "never printed", "--timeout", "20"]);
    ok(Date.now() - t0 < 2000, `wait took ${Date.now() - t0} ms`);
    equal(w.code, 1);
    match(w.stderr, /crash loop/);
    match(w.stderr, /FATAL: config missing/);
    const log = await env.ok(["logs", "boom", "--tail", "200"]);
    equal(log.match(/Crash loop: 3 failures within 10s of starting/g)?.length, 1, log);
  });
});

Deno.test("events: run, crash, restart, stop in order; readable without a daemon; --follow and --event live", async () => {
  await withEnv("events", async (env) => {
    const follow = env.cli(["events", "--follow", "--json", "--timeout", "8", "job"]);
    await env.ok([
      "run",
      "-n",
      "job",
      "--autorestart",
      "on-failure",
      "--max-restarts",
      "1",
      "--restart-delay",
      "50",
      "--",
      "sh",
      "-c",
      "echo working; exit 2",
    ]);
    await pollUntil(async () => (await row(env, "job"))?.state === "failed" || null, {
      what: "job failed",
      seen: () => rows(env),
    });
    const text = await env.ok(["events", "job"]);
    const types = text.trim().split("\n").map((l) => l.split(" ")[2]);
    equal(
      types.join(","),
      "spawned,exited,restarting,spawned,exited,failed",
      text,
    );
    match(text, /exited code=2 signal=- first_line=working/);
    // Readable after the daemon has gone.
    await env.ok(["stop-all"]);
    await pollUntil(() => env.daemonPid() === null || null, { what: "daemon exit" });
    equal((await env.ok(["events", "job", "--json"])).trim().split("\n").length, 6);
    const streamed = await follow;
    const live = streamed.stdout.trim().split("\n").map((l) => JSON.parse(l).type);
    ok(live.slice(0, 6).join(",") === types.join(","), streamed.stdout);
  });
});

Deno.test("wait --event ready returns on readiness", async () => {
  await withEnv("evready", async (env) => {
    const dir = await Deno.makeTempDir({ dir: env.home });
    await Deno.writeTextFile(
      `${dir}/agent-procs.yaml`,
      "processes:\n  slow:\n    cmd: sleep 0.5; echo ready now; sleep 30\n    ready:\n      log: ready now\n",
    );
    const waiting = env.cli(["wait", "slow", "--event", "ready", "--timeout", "20"]);
    await env.ok(["up", "--config", `${dir}/agent-procs.yaml`]);
    const w = await waiting;
    equal(w.code, 0, w.stderr);
    match(w.stdout, /slow ready/);
  });
});
