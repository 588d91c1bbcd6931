/**
 * End-to-end: `export` against the real tools. The Compose file passes
 * `docker-compose config -q` (Debian's docker-compose); the systemd units
 * pass `systemd-analyze verify --user` (Debian's systemd; offline, with a
 * private XDG_RUNTIME_DIR) with no complaint; the Kubernetes objects
 * type-check against `kubernetes-types` (`deno check` of a generated .ts
 * that types each object by its kind), one Deployment and one Service per
 * process with the probes mapped; a log-line readiness check is a comment
 * in the file and a `warning:` line on stderr.
 */

import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { type TestEnv, withEnv } from "./helpers/harness.ts";
import { need } from "./helpers/tools.ts";

const STACK = `session: shop
processes:
  db:
    cmd: echo "ready on $PORT" && exec sleep 1000
    ready: ready on
    port: 5432
    stop_signal: SIGINT
    image: postgres:16
  api:
    cmd: node server.js --name "%h $(hostname)"
    cwd: api
    env: { DB_URL: "postgres://db:5432/x", FLAG: "no" }
    ready: { http: "http://127.0.0.1:8080/health" }
    port: 8080
    depends_on: [db]
    autorestart: on-failure
    max_restarts: 3
    stop_timeout: 20s
  cache:
    cmd: redis-server --port 6379
    ready: { tcp: 6379 }
    autorestart: always
  worker:
    cmd: ./work
    ready: { cmd: "test -f /tmp/ok" }
    depends_on: [api, cache]
    watch: ["src/**"]
`;

async function project(env: TestEnv): Promise<string> {
  const dir = `${env.home}/shop`;
  await Deno.mkdir(`${dir}/api`, { recursive: true });
  await Deno.writeTextFile(`${dir}/agent-procs.yaml`, STACK);
  return dir;
}

async function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
) {
  const out = await new Deno.Command(cmd, { args, ...opts, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("export compose: docker-compose config -q accepts it; a log-line check is a comment and a warning", async () => {
  const dc = await need("docker-compose", "the Debian package docker-compose");
  await withEnv("export-compose", async (env) => {
    const dir = await project(env);
    const r = await env.cli(["export", "--format", "compose", "-o", "out"], { cwd: dir });
    equal(r.code, 0, r.stderr);
    equal(r.stdout, "wrote out/compose.yaml\n");
    const warnings = r.stderr.trim().split("\n");
    ok(
      warnings.includes(
        'warning: db: readiness is a log line ("ready on"), which Compose cannot check',
      ),
      r.stderr,
    );
    ok(
      warnings.includes(
        "warning: worker: watch (src/**): Compose does not restart on file changes",
      ),
    );
    const text = await Deno.readTextFile(`${dir}/out/compose.yaml`);
    ok(text.includes('  db:\n    # not exported: readiness is a log line ("ready on")'), text);
    const check = await run(dc, ["-f", "out/compose.yaml", "config", "-q"], { cwd: dir });
    equal(check.code, 0, check.stderr);
    equal(check.stderr, "");
    const full = await run(dc, ["-f", "out/compose.yaml", "config"], { cwd: dir });
    const y = await import("yaml");
    // What docker-compose itself read (YAML 1.1: "no" must have stayed a string).
    const svc = (y.parse(full.stdout, { version: "1.1" }) as {
      services: Record<string, Record<string, unknown>>;
    }).services;
    deepStrictEqual(svc.api.depends_on, { db: { condition: "service_started" } });
    deepStrictEqual(svc.worker.depends_on, {
      api: { condition: "service_healthy" },
      cache: { condition: "service_healthy" },
    });
    equal((svc.api.environment as Record<string, string>).FLAG, "no");
    equal(svc.api.restart, "on-failure:3");
    equal(svc.db.stop_signal, "SIGINT");
    deepStrictEqual(svc.api.command, ["sh", "-c", 'node server.js --name "%h $$(hostname)"']);
  });
});

Deno.test("export systemd: systemd-analyze verify accepts every unit", async () => {
  const analyze = await need("systemd-analyze", "the Debian package systemd");
  await withEnv("export-systemd", async (env) => {
    const dir = await project(env);
    const r = await env.cli(["export", "--format", "systemd", "-o", "units"], { cwd: dir });
    equal(r.code, 0, r.stderr);
    const files = [...Deno.readDirSync(`${dir}/units`)].map((e) => e.name).sort();
    deepStrictEqual(files, [
      "shop-api.service",
      "shop-cache.service",
      "shop-db.service",
      "shop-worker.service",
      "shop.target",
    ]);
    const api = await Deno.readTextFile(`${dir}/units/shop-api.service`);
    for (
      const line of [
        "After=shop-db.service",
        "Requires=shop-db.service",
        "Restart=on-failure",
        "StartLimitBurst=4",
        "KillMode=control-group",
        "TimeoutStopSec=20",
        'ExecStart=/bin/sh -c "node server.js --name \\"%%h $$(hostname)\\""',
      ]
    ) ok(api.includes(`${line}\n`), `${line} in\n${api}`);
    match(
      await Deno.readTextFile(`${dir}/units/shop-db.service`),
      /^# not exported: readiness is a log line/m,
    );
    // No user manager runs in a container: verify offline, with a private runtime dir.
    const runtime = await Deno.makeTempDir({ prefix: "ap-xdg-" });
    try {
      const v = await run(analyze, ["verify", "--user", ...files.map((f) => `./${f}`)], {
        cwd: `${dir}/units`,
        env: { XDG_RUNTIME_DIR: runtime },
      });
      equal(v.code, 0, v.stderr);
      equal(v.stderr, "", "systemd-analyze complains about nothing");
    } finally {
      await Deno.remove(runtime, { recursive: true });
    }
  });
});

Deno.test("export kubernetes: typed objects, one Deployment and one Service per process, probes mapped", async () => {
  await withEnv("export-k8s", async (env) => {
    const dir = await project(env);
    const missing = await env.cli(["export", "--format", "kubernetes"], { cwd: dir });
    equal(missing.code, 1);
    match(missing.stderr, /^error: kubernetes needs a container image for: api, cache, worker\n/);
    const r = await env.cli(["export", "--format", "kubernetes", "--image", "node:22"], {
      cwd: dir,
    });
    equal(r.code, 0, r.stderr);
    ok(
      r.stderr.includes(
        'warning: db: readiness is a log line ("ready on"), which Kubernetes cannot check',
      ),
    );
    match(r.stdout, /# not exported: readiness is a log line \("ready on"\)/);
    const y = await import("yaml");
    const docs = y.parseAllDocuments(r.stdout).map((d) => d.toJS() as Record<string, unknown>);
    deepStrictEqual(
      docs.map((d) => `${d.kind}/${(d.metadata as { name: string }).name}`),
      ["db", "api", "cache", "worker"].flatMap((n) => [`Deployment/${n}`, `Service/${n}`]),
    );
    const container = (name: string) => {
      const d = docs.find((x) =>
        x.kind === "Deployment" && (x.metadata as { name: string }).name === name
      );
      // deno-lint-ignore no-explicit-any -- walking parsed YAML in a test
      return (d as any).spec.template.spec.containers[0];
    };
    deepStrictEqual(container("api").readinessProbe.httpGet, {
      path: "/health",
      port: 8080,
      scheme: "HTTP",
    });
    deepStrictEqual(container("cache").readinessProbe.tcpSocket, { port: 6379 });
    deepStrictEqual(container("worker").readinessProbe.exec, {
      command: ["sh", "-c", "test -f /tmp/ok"],
    });
    equal(container("db").readinessProbe, undefined);
    equal(container("db").image, "postgres:16");
    // Type-check every object against kubernetes-types, each typed by its kind.
    const ts = [
      'import type { Deployment } from "kubernetes-types/apps/v1.d.ts";',
      'import type { Service } from "kubernetes-types/core/v1.d.ts";',
      ...docs.map((d, i) => `export const o${i}: ${d.kind} = ${JSON.stringify(d)};`),
    ].join("\n");
    const file = `${env.home}/k8s_typecheck.ts`;
    await Deno.writeTextFile(file, ts + "\n");
    try {
      const c = await run(Deno.execPath(), [
        "check",
        "--quiet",
        "--config",
        `${env.root}/deno.json`,
        file,
      ]);
      equal(c.code, 0, c.stderr + c.stdout);
      // The check is real: a misspelt field fails it.
      await Deno.writeTextFile(file, ts.replace('"containerPort"', '"containerPorts"') + "\n");
      const bad = await run(Deno.execPath(), [
        "check",
        "--quiet",
        "--config",
        `${env.root}/deno.json`,
        file,
      ]);
      equal(bad.code === 0, false, "a wrong field must not type-check");
    } finally {
      await Deno.remove(file).catch(() => null);
    }
  });
});
