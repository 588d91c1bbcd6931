/**
 * End-to-end: the README's first command, `deno run -A main.ts up --config
 * examples/demo/agent-procs.yaml`, as a newcomer runs it, then `deno task
 * demo` (the same plus `status`). Both start the demo through agent-procs
 * (api, then web once api is ready, worker beside them); the test checks the
 * processes, their output and the page web serves from api, and stops the
 * stack with `down` each time. The demo's ports are fixed (5310,
 * 5311), so this is the only test that uses them.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { alive, pollUntil, type TestEnv, withEnv } from "./helpers/harness.ts";

const CONFIG = new URL("../examples/demo/agent-procs.yaml", import.meta.url).pathname;

/** Runs `deno ARGS` in the checkout as a newcomer would (the test's session and home). */
async function deno(env: TestEnv, args: string[]): Promise<string> {
  const task = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: env.root,
    env: env.env(),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(120_000),
  }).output();
  const out = new TextDecoder().decode(task.stdout);
  const err = new TextDecoder().decode(task.stderr);
  equal(task.code, 0, `deno ${args.join(" ")} exited ${task.code}\nstdout: ${out}\nstderr: ${err}`);
  return out;
}

Deno.test("the README's first command starts the demo stack; down stops it", async () => {
  await withEnv("demo-readme", async (env) => {
    const out = await deno(env, ["run", "-A", "main.ts", "up", "--config", CONFIG]);
    match(out, /api is ready\n[\s\S]*started web /, "web starts once api is ready");
    match(out, /all processes started\n/);
    deepEqual((await env.status()).map((r) => [r.name, r.state]).sort(), [
      ["api", "running"],
      ["web", "running"],
      ["worker", "running"],
    ]);
    match(await (await fetch("http://127.0.0.1:5311/")).text(), /hello from the demo api/);
    await env.ok(["down", "--config", CONFIG]);
    deepEqual(await env.status(), []);
  });
});

Deno.test("deno task demo starts the demo stack through agent-procs; down stops it", async () => {
  await withEnv("demo", async (env) => {
    const out = await deno(env, ["task", "demo"]);
    match(out, /started api \(id: p\d+, pid: \d+\)\n/);
    match(out, /api is ready\n[\s\S]*started web /, "web starts once api is ready");
    match(out, /all processes started\n/);
    // The task ends with `status`: three running processes.
    // api and web listen, so the URL column shows their :PORT.
    match(out, /NAME +PID +STATE +EXIT +RESTARTS +WATCH +URL +READY +UPTIME\n/);
    match(out, /\napi +\d+ +running .* :\d+ +yes /);
    for (const name of ["api", "web", "worker"]) {
      match(out, new RegExp(`\\n${name} +\\d+ +running `));
    }

    const rows = await env.status();
    deepEqual(
      rows.map((r) => [r.name, r.state, r.ready, r.port]).sort(),
      [["api", "running", true, 5310], ["web", "running", true, 5311], [
        "worker",
        "running",
        true,
        null,
      ]],
    );
    // web calls api on every request; api greets with the config's env.
    const page = await (await fetch("http://127.0.0.1:5311/")).text();
    match(page, /agent-procs demo/);
    match(page, /hello from the demo api/);
    match(await env.ok(["logs", "api"]), /^listening on 5310\n[\s\S]*GET \/ \(#1\)\n/);
    await env.ok(["wait", "worker", "--until", "tick 2", "--timeout", "20"]);
    match(await env.ok(["logs", "worker"]), /^worker started\ntick 1\ntick 2\n/);

    const daemon = env.daemonPid();
    ok(daemon, "the demo runs under a daemon");
    const down = await env.ok(["down", "--config", CONFIG]);
    match(down, /stopped web[\s\S]*stopped api/, "dependents first");
    deepEqual(await env.status(), []);
    await pollUntil(() => !alive(daemon), { what: "the daemon to exit after down" });
  });
});
