/**
 * End-to-end: `up --config` with other formats. A Procfile runs the same
 * processes as the real `foreman` (Debian's ruby-foreman) with the same
 * PORTs; a process-compose.yaml using every mapped field starts in the order
 * its depends_on conditions require and its http_get probe gates the
 * dependent; unsupported keys give one warning each; a package.json `dev`
 * script runs with npm, and a pnpm lock without pnpm is a clear error.
 */

import { deepStrictEqual, equal, fail, match, ok } from "node:assert/strict";
import { pollUntil, type TestEnv, withEnv } from "./helpers/harness.ts";
import { need } from "./helpers/tools.ts";

async function project(env: TestEnv, files: Record<string, string>): Promise<string> {
  const dir = `${env.home}/proj`;
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${name}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  return dir;
}

async function lines(path: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(path)).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** A base port below the ephemeral range whose two Procfile ports (base, base+100) are free. */
function freeBase(): number {
  for (let i = 0; i < 50; i++) {
    const base = 10000 + 100 * Math.floor(Math.random() * 200);
    try {
      for (const port of [base, base + 100]) Deno.listen({ hostname: "127.0.0.1", port }).close();
      return base;
    } catch {
      // taken: try another
    }
  }
  throw new Error("no free pair of ports found");
}

const PROCFILE = `# two processes
web: echo "web PORT=$PORT cmd=web" >> "$OUT"; exec sleep 1000
worker: echo "worker PORT=$PORT cmd=worker" >> "$OUT"; exec sleep 1000
`;

Deno.test("Procfile: agent-procs starts what foreman starts, with the same PORTs", async () => {
  const foreman = await need("foreman", "the Debian package ruby-foreman");
  await withEnv("procfile", async (env) => {
    const dir = await project(env, { Procfile: PROCFILE });
    const base = String(freeBase());
    const fOut = `${dir}/foreman.out`;
    const child = new Deno.Command(foreman, {
      args: ["start", "-f", `${dir}/Procfile`],
      cwd: dir,
      env: { ...Deno.env.toObject(), PORT: base, OUT: fOut },
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
    try {
      await pollUntil(async () => (await lines(fOut)).length === 2, {
        what: "foreman to start both processes",
        timeoutMs: 20_000,
        seen: () => lines(fOut),
      });
    } finally {
      Deno.kill(-child.pid, "SIGTERM");
      await child.status;
    }
    const aOut = `${dir}/agent-procs.out`;
    const r = await env.cli(["up", "--config", "Procfile"], {
      cwd: dir,
      env: { PORT: base, OUT: aOut },
    });
    equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    equal(r.stderr, "", r.stderr);
    await pollUntil(async () => (await lines(aOut)).length === 2, {
      what: "agent-procs to start both processes",
      timeoutMs: 20_000,
      seen: () => lines(aOut),
    });
    deepStrictEqual(
      (await lines(aOut)).sort(),
      (await lines(fOut)).sort(),
      "same lines as foreman",
    );
    match((await lines(aOut)).join("\n"), new RegExp(`web PORT=${base} `));
    const rows = await env.status();
    deepStrictEqual(rows.map((p) => [p.name, p.command]), [
      ["web", 'echo "web PORT=$PORT cmd=web" >> "$OUT"; exec sleep 1000'],
      ["worker", 'echo "worker PORT=$PORT cmd=worker" >> "$OUT"; exec sleep 1000'],
    ]);
    await env.ok(["down", "--config", "Procfile"], { cwd: dir });
  });
});

/** Appends "<ns-time> WHAT" to order.log (in the project dir). */
const stamp = (what: string) => `echo "$(date +%s%N) ${what}" >> "$LOG"`;

function composeFile(apiPort: number, server: string): string {
  return `version: "0.5"
environment:
  - "TOP=top"
processes:
  migrate:
    command: '${stamp("migrate-start")}; sleep 0.4; ${stamp("migrate-end")}'
    working_dir: ./db
    availability:
      restart: "no"
  db:
    command: 'sleep 0.3; ${stamp("db-ready")}; echo "db is up"; exec sleep 1000'
    ready_log_line: "db is up"
    shutdown:
      signal: 2
      timeout_seconds: 3
  api:
    command: 'sleep 0.5; ${stamp("api-serving")}; exec "${Deno.execPath()}" run -A ${server}'
    environment:
      - "PORT=${apiPort}"
    env_file: api.env
    readiness_probe:
      http_get:
        host: 127.0.0.1
        port: ${apiPort}
        path: /health
      period_seconds: 1
      failure_threshold: 20
    availability:
      restart: on_failure
      backoff_seconds: 1
      max_restarts: 2
    depends_on:
      migrate:
        condition: process_completed_successfully
      db:
        condition: process_log_ready
  cache:
    command: '${stamp("cache-start")}; touch cache.ok; exec sleep 1000'
    readiness_probe:
      exec:
        command: "test -f cache.ok"
  web:
    command: '${stamp("web-start $TOP $FROM_FILE")}; exec sleep 1000'
    env_file: api.env
    depends_on:
      api:
        condition: process_healthy
      cache:
        condition: process_healthy
      logger:
        condition: process_started
  logger:
    command: '${stamp("logger-start")}; exec sleep 1000'
  docs:
    command: '${stamp("docs-start")}; exec sleep 1000'
    disabled: true
`;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("process-compose: depends_on order, the http probe gates the dependent", async () => {
  await withEnv("pcompose", async (env) => {
    const port = freePort();
    const server = `${env.root}/tests/fixtures/http_server.ts`;
    const dir = await project(env, {
      "process-compose.yaml": composeFile(port, server),
      "api.env": "FROM_FILE=fromfile\n",
      "db/.keep": "",
    });
    const log = `${dir}/order.log`;
    const r = await env.cli(["up", "--config", "process-compose.yaml"], {
      cwd: dir,
      env: { LOG: log },
    });
    equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    equal(r.stderr, "", `every field of this file maps: ${r.stderr}`);
    // A process without a readiness check counts as ready once it runs: its line may come later.
    const wanted = [
      "migrate-end",
      "db-ready",
      "api-serving",
      "cache-start",
      "logger-start",
      "web-start",
    ];
    await pollUntil(async () => {
      const seen = (await lines(log)).map((l) => l.split(" ")[1]);
      return wanted.every((w) => seen.includes(w));
    }, { what: "every process's start line", timeoutMs: 20_000, seen: () => lines(log) });
    const events = new Map(
      (await lines(log)).map((l) => {
        const [t, what] = [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1)];
        return [what.split(" ")[0], { t: BigInt(t), what }];
      }),
    );
    const t = (k: string) => events.get(k)?.t ?? fail(`no ${k} in ${[...events.keys()]}`);
    ok(t("api-serving") > t("migrate-end"), "api waits for migrate to complete");
    ok(t("api-serving") > t("db-ready"), "api waits for db's log line");
    ok(t("web-start") > t("api-serving"), "web waits for api's http probe");
    ok(t("web-start") > t("cache-start"), "web waits for cache's exec probe");
    ok(t("web-start") > t("logger-start"), "web waits for logger to start");
    equal(events.has("docs-start"), false, "a disabled process does not start");
    equal(events.get("web-start")?.what, "web-start top fromfile");
    const ready = await fetch(`http://127.0.0.1:${port}/health`);
    equal(await ready.text(), "ok");
    const rows = await env.status();
    deepStrictEqual(rows.map((p) => p.name).sort(), [
      "api",
      "cache",
      "db",
      "logger",
      "migrate",
      "web",
    ]);
    const api = rows.find((p) => p.name === "api")!;
    deepStrictEqual([api.max_restarts, api.cwd], [2, dir]);
    equal(rows.find((p) => p.name === "migrate")!.cwd, `${dir}/db`);
    await env.ok(["down", "--config", "process-compose.yaml"], { cwd: dir });
  });
});

Deno.test("process-compose: one warning per unsupported key, naming it and its line", async () => {
  await withEnv("pcwarn", async (env) => {
    const dir = await project(env, {
      "process-compose.yaml": `log_level: debug
processes:
  a:
    command: exec sleep 1000
    is_daemon: false
    liveness_probe:
      exec:
        command: "true"
    replicas: 1
`,
    });
    const r = await env.cli(["up", "--config", "process-compose.yaml"], { cwd: dir });
    equal(r.code, 0, r.stderr);
    deepStrictEqual(r.stderr.trim().split("\n"), [
      "warning: process-compose.yaml:1: log_level: not supported by agent-procs, ignored",
      "warning: process-compose.yaml:5: processes.a.is_daemon: not supported by agent-procs, ignored",
      "warning: process-compose.yaml:6: processes.a.liveness_probe: agent-procs has no liveness " +
      "checks (only readiness), ignored",
      "warning: process-compose.yaml:9: processes.a.replicas: not supported by agent-procs, ignored",
    ]);
    match(r.stdout, /all processes started/);
  });
});

Deno.test("package.json: up --config package.json dev runs the script with npm", async () => {
  await need("npm", "the Debian package npm (or Node.js)");
  await withEnv("pkgjson", async (env) => {
    const pkg = {
      name: "fixture",
      scripts: {
        dev: 'echo "event=$npm_lifecycle_event by=$npm_execpath"; exec sleep 1000',
        build: "echo build",
      },
    };
    const dir = await project(env, {
      "package.json": JSON.stringify(pkg, null, 2),
      "package-lock.json": '{"name":"fixture","lockfileVersion":3,"packages":{}}',
    });
    const r = await env.cli(["up", "--config", "package.json", "dev"], { cwd: dir });
    equal(r.code, 0, r.stderr);
    deepStrictEqual((await env.status()).map((p) => [p.name, p.command]), [["dev", "npm run dev"]]);
    const out = await pollUntil(async () => {
      const o = await env.ok(["logs", "dev"]);
      return /event=dev by=\S*npm-cli\.js/.test(o) ? o : null;
    }, { what: "the dev script's output", timeoutMs: 30_000, seen: () => env.ok(["logs", "dev"]) });
    // npm_execpath names the manager that ran the script (not npm_config_user_agent,
    // which npm takes from the environment when set, as `deno task` does).
    match(out, /event=dev by=\S*npm-cli\.js/);
    const down = await env.ok(["down", "--config", "package.json"], { cwd: dir });
    match(down, /^stopped dev\n/);
  });
});

Deno.test("package.json: a pnpm lock without pnpm installed is a clear error", async () => {
  await withEnv("pnpm", async (env) => {
    const dir = await project(env, {
      "package.json": '{"scripts":{"dev":"vite"}}',
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
    });
    // A PATH with no package manager at all, whatever this machine has installed.
    const path = `${env.home}/empty-bin`;
    await Deno.mkdir(path);
    const r = await env.cli(["up", "--config", "package.json"], { cwd: dir, env: { PATH: path } });
    equal(r.code, 1);
    match(
      r.stderr,
      /^error: package\.json: pnpm-lock\.yaml says this project uses pnpm, but pnpm is not installed/,
    );
    deepStrictEqual(await env.status(), []);
  });
});
