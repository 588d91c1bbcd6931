/** End-to-end: `up` and `down` of a config stack: order, env, probes, idempotency, failures. */

import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { alive, pollUntil, type TestEnv, withEnv } from "./helpers/harness.ts";
import { expectNoDaemonDuring } from "./helpers/no_daemon.ts";

async function writeStack(
  env: TestEnv,
  yaml: string,
  files: Record<string, string> = {},
): Promise<string> {
  const dir = `${env.home}/proj`;
  await Deno.mkdir(`${dir}/svc`, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  await Deno.writeTextFile(`${dir}/agent-procs.yaml`, yaml);
  return dir;
}

/** Each process appends "start NAME" to a shared file when it starts, after a small random pause. */
const STACK = `
processes:
  db:
    cmd: sleep 0.2; echo "start db" >> ../order.log; echo db ready; sleep 1000
    cwd: svc
    ready: db ready
  cache:
    cmd: echo "start cache" >> order.log; echo cache up; sleep 1000
    ready: cache up
  api:
    cmd: echo "start api $DB_URL $FROM_FILE $TOP" >> order.log; echo api listening; sleep 1000
    depends_on: [db, cache]
    env:
      DB_URL: postgres://x
    env_file: api.env
    ready: { log: "api list\\\\w+", regex: true }
  worker:
    cmd: echo "start worker" >> order.log; sleep 1000
    depends_on: [db]
  web:
    cmd: echo "start web PORT=$PORT HOST=$HOST" >> order.log; sleep 1000
    depends_on: [api, worker]
    port: 4711
env:
  TOP: topvalue
`;

Deno.test("up starts a chain and a diamond in dependency order with cwd, env and env_file", async () => {
  await withEnv("up1", async (env) => {
    const dir = await writeStack(env, STACK, { "api.env": "FROM_FILE=fromfile\n" });
    const out = await env.ok(["up"], { cwd: dir });
    match(out, /started db \(id: p\d+, pid: \d+\)/);
    match(out, /db is ready\n/);
    match(out, /all processes started\n$/);
    const order = (await Deno.readTextFile(`${dir}/order.log`)).trim().split("\n");
    const pos = (n: string) => order.findIndex((l) => l.startsWith(`start ${n}`));
    ok(pos("db") >= 0 && pos("cache") >= 0);
    ok(pos("api") > pos("db") && pos("api") > pos("cache"), order.join(" | "));
    ok(pos("worker") > pos("db"), order.join(" | "));
    ok(pos("web") > pos("api") && pos("web") > pos("worker"), order.join(" | "));
    ok(order.includes("start api postgres://x fromfile topvalue"), order.join(" | "));
    ok(order.includes("start web PORT=4711 HOST=127.0.0.1"), order.join(" | "));
    // Idempotent: a second up leaves everything alone.
    const pids = (await env.status()).map((r) => r.pid);
    const again = await env.ok(["up"], { cwd: dir });
    match(again, /unchanged db/);
    deepStrictEqual((await env.status()).map((r) => r.pid), pids);
    // A changed cmd restarts only that process.
    await Deno.writeTextFile(
      `${dir}/agent-procs.yaml`,
      STACK.replace('echo "start worker"', 'echo "start worker v2"'),
    );
    const changed = await env.ok(["up"], { cwd: dir });
    match(changed, /restarted worker/);
    const rows = await env.status();
    for (const r of rows) {
      if (r.name === "worker") ok(r.pid !== pids[rows.indexOf(r)]);
      else equal(r.pid, pids[rows.indexOf(r)], r.name);
    }
    // down: dependents first, records forgotten, daemon exits.
    const daemon = env.daemonPid();
    ok(daemon, "a daemon runs the stack");
    const down = await env.ok(["down"], { cwd: dir });
    match(down, /stopped web[\s\S]*stopped db/);
    deepStrictEqual(await env.status(), []);
    await pollUntil(() => !alive(daemon), { what: "the daemon to exit after down" });
  });
});

Deno.test("--only pulls in dependencies; --no-deps does not", async () => {
  await withEnv("up2", async (env) => {
    const dir = await writeStack(env, STACK, { "api.env": "FROM_FILE=x\n" });
    await env.ok(["up", "--only", "api"], { cwd: dir });
    deepStrictEqual((await env.status()).map((r) => r.name).sort(), ["api", "cache", "db"]);
    await env.ok(["up", "web", "--no-deps"], { cwd: dir });
    deepStrictEqual((await env.status()).map((r) => r.name).sort(), ["api", "cache", "db", "web"]);
    const unknown = await env.cli(["up", "nope"], { cwd: dir });
    equal(unknown.code, 2);
    match(unknown.stderr, /unknown process "nope"/);
  });
});

Deno.test("a failing dependency leaves its dependents unstarted and up exits 1", async () => {
  await withEnv("up3", async (env) => {
    const dir = await writeStack(
      env,
      `processes:
  base:
    cmd: echo oops; exit 3
    ready: never printed
  mid:
    cmd: sleep 1000
    depends_on: [base]
  top:
    cmd: sleep 1000
    depends_on: [mid]
  free:
    cmd: echo free ok; sleep 1000
    ready: free ok
  slow:
    cmd: sleep 1000
    ready: never
    ready_timeout: 0.5s
`,
    );
    const r = await env.cli(["up"], { cwd: dir });
    equal(r.code, 1);
    match(r.stderr, /base exited \(exit 3\)/);
    match(r.stderr, /oops/);
    match(r.stderr, /slow was not ready within 0.5s/);
    match(r.stderr, /not started: .*mid/);
    match(r.stdout, /free is ready/);
    const names = (await env.status()).map((p) => p.name).sort();
    deepStrictEqual(names, ["base", "free", "slow"]);
  });
});

Deno.test("probes: http, tcp and cmd succeed; a probe that never passes times out", async () => {
  await withEnv("up4", async (env) => {
    const server = `${env.root}/tests/fixtures/http_server.ts`;
    const dir = await writeStack(
      env,
      `processes:
  web:
    cmd: deno run -A ${server}
    port: 4812
    ready: { http: "http://127.0.0.1:4812/health" }
  tcp:
    cmd: deno run -A ${server}
    port: 4813
    ready: { tcp: 4813 }
  file:
    cmd: sleep 0.3; touch marker; sleep 1000
    ready: { cmd: "test -f marker" }
  never:
    cmd: sleep 1000
    ready: { tcp: 1 }
    ready_timeout: 1s
`,
    );
    const r = await env.cli(["up"], { cwd: dir });
    equal(r.code, 1, r.stderr);
    for (const n of ["web", "tcp", "file"]) match(r.stdout, new RegExp(`${n} is ready`));
    match(r.stderr, /never was not ready within 1s/);
    const rows = await env.status();
    equal(rows.find((p) => p.name === "web")?.ready, true);
    equal(rows.find((p) => p.name === "never")?.ready, false);
  });
});

Deno.test("config errors name the file and place and start nothing", async () => {
  await withEnv("up5", async (env) => {
    const dir = await writeStack(
      env,
      "processes:\n  a:\n    cmd: sleep 1000\n    depnds_on: [b]\n",
    );
    const r = await expectNoDaemonDuring(env, () => env.cli(["up"], { cwd: dir }));
    equal(r.code, 1);
    match(r.stderr, /^error: .*agent-procs.yaml:4:5: .*depnds_on.*did you mean "depends_on"/);
    deepStrictEqual(await env.status(), []);
    const none = await expectNoDaemonDuring(env, () => env.cli(["up"], { cwd: env.home }));
    equal(none.code, 1);
    match(none.stderr, /no agent-procs.yaml found/);
  });
});
