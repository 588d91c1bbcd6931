/**
 * Loading valid configs: defaults, env precedence and PORT/HOST injection,
 * relative cwd, every ready form, durations, merge keys, and the demo stack.
 */

import assert from "node:assert/strict";
import { errorsOf, loadInTemp, loadOk } from "./test_helpers.ts";
import { loadConfig } from "./load.ts";

Deno.test("load: defaults and a complete ProcessSpec", async () => {
  const { dir, config } = await loadOk({
    "agent-procs.yaml": "processes:\n  a:\n    cmd: echo hi\n",
  }, { PATH: "/bin" });
  assert.deepEqual(config, {
    path: `${dir}/agent-procs.yaml`,
    dir,
    session: null,
    proxy: false,
    proxyPort: null,
    idleTtlMs: null,
    processes: [{
      name: "a",
      cmd: "echo hi",
      cwd: dir,
      env: { PATH: "/bin" },
      userEnv: {},
      port: null,
      proxy: false,
      browserLogs: false,
      autorestart: "never",
      maxRestarts: null,
      restartDelayMs: 1000,
      watch: [],
      watchIgnore: [],
      ready: null,
      readyTimeoutMs: 30000,
      stopSignal: "SIGTERM",
      stopTimeoutMs: 10000,
      dependsOn: [],
      configPath: `${dir}/agent-procs.yaml`,
      stdin: "null",
    }],
    userEnv: { a: {} },
  });
});

Deno.test("load: every field, processes in file order", async () => {
  const yaml = `session: my-proj # comment
proxy: true
proxy_port: 9095
idle_ttl: 10m
processes:
  web:
    cmd: npm run dev
    cwd: ./front
    ready: "ready in"
    ready_timeout: 2m
    depends_on: [api]
    port: 3000
    autorestart: always
    max_restarts: 3
    restart_delay: 250
    watch: ["src/**", "*.json"]
    watch_ignore: ["*.gen.ts"]
    stop_signal: INT
    stop_timeout: 1.5
    stdin: pipe
  api:
    cmd: ./api
    restart_delay: 2s
    stop_timeout: 500ms
    ready_timeout: 1m30s
    max_restarts: 0
    autorestart: on-failure
`;
  const { dir, config } = await loadOk({ "agent-procs.yaml": yaml, "front/x": "" });
  assert.equal(config.session, "my-proj");
  assert.equal(config.proxy, true);
  assert.equal(config.proxyPort, 9095);
  assert.equal(config.idleTtlMs, 600_000);
  assert.deepEqual(config.processes.map((p) => p.name), ["web", "api"]);
  const [web, api] = config.processes;
  assert.equal(web.cwd, `${dir}/front`);
  assert.equal(web.proxy, true);
  assert.deepEqual(web.ready, { kind: "log", pattern: "ready in", regex: false });
  assert.equal(web.readyTimeoutMs, 120_000);
  assert.deepEqual(web.dependsOn, ["api"]);
  assert.equal(web.port, 3000);
  assert.equal(web.autorestart, "always");
  assert.equal(web.maxRestarts, 3);
  assert.equal(web.restartDelayMs, 250);
  assert.deepEqual(web.watch, ["src/**", "*.json"]);
  assert.deepEqual(web.watchIgnore, ["*.gen.ts"]);
  assert.equal(web.stopSignal, "SIGINT");
  assert.equal(web.stopTimeoutMs, 1500);
  assert.equal(web.stdin, "pipe");
  assert.equal(api.stdin, "null");
  assert.equal(api.restartDelayMs, 2000);
  assert.equal(api.stopTimeoutMs, 500);
  assert.equal(api.readyTimeoutMs, 90_000);
  assert.equal(api.maxRestarts, 0);
  assert.equal(api.autorestart, "on-failure");
  assert.equal(api.proxy, true);
});

Deno.test("load: env precedence base < top env_file < top env < process env_file < process env", async () => {
  const yaml = `env_file: top.env
env:
  B: top-env
  C: top-env
processes:
  a:
    cmd: x
    env_file: [p1.env, p2.env]
    env:
      E: proc-env
      N: 8080
      F: 1.10
      T: true
`;
  const { config } = await loadOk({
    "agent-procs.yaml": yaml,
    "top.env": "A=top-file\nB=top-file\nC=top-file\nD=top-file\n",
    "p1.env": "D=p1\nE=p1\nQ='a \"b\" $X'\n",
    "p2.env": 'D=p2\nM="multi\nline"\n',
  }, { A: "base", B: "base", Z: "base" });
  const p = config.processes[0];
  assert.deepEqual(p.env, {
    A: "top-file",
    B: "top-env",
    C: "top-env",
    D: "p2",
    E: "proc-env",
    M: "multi\nline",
    N: "8080",
    F: "1.10",
    Q: 'a "b" $X',
    T: "true",
    Z: "base",
  });
  assert.equal(p.userEnv.Z, undefined);
  assert.equal(p.userEnv.A, "top-file");
  assert.deepEqual(config.userEnv.a, p.userEnv);
});

Deno.test("load: PORT and HOST injected for a port; the user's env wins, the base env does not", async () => {
  const yaml = `env:
  HOST: 0.0.0.0
processes:
  a:
    cmd: x
    port: 4100
  b:
    cmd: x
    port: 4101
    env_file: b.env
  c:
    cmd: x
`;
  const { config } = await loadOk(
    { "agent-procs.yaml": yaml, "b.env": "PORT=9999\n" },
    { PORT: "1", HOST: "base-host" },
  );
  const [a, b, c] = config.processes;
  assert.deepEqual([a.env.PORT, a.env.HOST], ["4100", "0.0.0.0"]);
  assert.deepEqual([b.env.PORT, b.env.HOST], ["9999", "0.0.0.0"]);
  assert.deepEqual([c.env.PORT, c.env.HOST], ["1", "0.0.0.0"]);
  const only = await loadOk(
    { "agent-procs.yaml": "processes:\n  a:\n    cmd: x\n    port: 80\n" },
    { PORT: "1" },
  );
  assert.deepEqual([only.config.processes[0].env.PORT, only.config.processes[0].env.HOST], [
    "80",
    "127.0.0.1",
  ]);
});

Deno.test("load: cwd relative to the config's dir, absolute, and ~; config path given relatively", async () => {
  const home = await Deno.realPath(await Deno.makeTempDir());
  try {
    const yaml =
      `processes:\n  a:\n    cmd: x\n    cwd: sub/../sub\n  b:\n    cmd: x\n    cwd: ${home}\n  c:\n    cmd: x\n    cwd: ~/\n`; // a bare ~ is YAML's null
    const { dir, config } = await loadOk({ "agent-procs.yaml": yaml, "sub/f": "" }, { HOME: home });
    assert.deepEqual(config.processes.map((p) => p.cwd), [`${dir}/sub`, home, home]);
    await Deno.writeTextFile(`${home}/agent-procs.yaml`, "processes:\n  a:\n    cmd: x\n");
    const cwd = Deno.cwd();
    const rel = `${"../".repeat(cwd.split("/").length)}${home.slice(1)}/agent-procs.yaml`;
    const r = await loadConfig(rel, {});
    assert.ok(r.ok);
    if (r.ok) assert.equal(r.config.processes[0].cwd, home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("load: every ready form", async () => {
  const yaml = `processes:
  a: { cmd: x, ready: "Listening on :8080" }
  b: { cmd: x, ready: { log: "port \\\\d+", regex: true } }
  c: { cmd: x, ready: { log: "plain" } }
  d: { cmd: x, ready: { http: "http://127.0.0.1:3000/health" } }
  e: { cmd: x, ready: { tcp: 5432 } }
  f: { cmd: x, ready: { tcp: 6379, host: localhost } }
  g: { cmd: x, ready: { cmd: "pg_isready -q" } }
  h: { cmd: x, ready: { listen: true } }
`;
  const { config } = await loadOk({ "agent-procs.yaml": yaml });
  assert.deepEqual(config.processes.map((p) => p.ready), [
    { kind: "log", pattern: "Listening on :8080", regex: false },
    { kind: "log", pattern: "port \\d+", regex: true },
    { kind: "log", pattern: "plain", regex: false },
    { kind: "http", url: "http://127.0.0.1:3000/health" },
    { kind: "tcp", port: 5432, host: "127.0.0.1" },
    { kind: "tcp", port: 6379, host: "localhost" },
    { kind: "cmd", cmd: "pg_isready -q" },
    { kind: "listen" },
  ]);
});

Deno.test("load: empty optional values mean 'not set'; x- keys hold anchors for << merges", async () => {
  const yaml = `x-defaults: &defaults
  autorestart: on-failure
  env: { SHARED: "1" }
env:
processes:
  a:
    <<: *defaults
    cmd: x
    watch:
    max_restarts: ~
  b:
    <<: *defaults
    cmd: y
    autorestart: always
`;
  const { config } = await loadOk({ "agent-procs.yaml": yaml });
  const [a, b] = config.processes;
  assert.deepEqual([a.autorestart, a.env.SHARED, a.watch, a.maxRestarts], [
    "on-failure",
    "1",
    [],
    null,
  ]);
  assert.equal(b.autorestart, "always");
});

Deno.test("load: a session the full parser and the line scanner read alike", async () => {
  for (const line of ["session: 'quoted'", 'session: "quoted"', "session: quoted   # c"]) {
    const { config } = await loadOk({
      "agent-procs.yaml": `${line}\nprocesses:\n  a:\n    cmd: x\n`,
    });
    assert.equal(config.session, "quoted");
  }
  const num = await loadOk({ "agent-procs.yaml": "session: 2024\nprocesses:\n  a:\n    cmd: x\n" });
  assert.equal(num.config.session, "2024");
});

Deno.test("load: a key from another tool gets a suggestion", async () => {
  const { result } = await loadInTemp({
    "agent-procs.yaml": "processes:\n  api:\n    command: x\n",
  });
  const messages = errorsOf(result).errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
  assert.deepEqual(messages, [
    '2:3: processes.api: missing required key "cmd"',
    '3:5: processes.api: unknown key "command" (did you mean "cmd"?)',
  ]);
});

Deno.test("load: the demo stack in examples/demo is valid", async () => {
  const path = new URL("../../examples/demo/agent-procs.yaml", import.meta.url).pathname;
  const r = await loadConfig(path, { PATH: "/bin" });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const names = r.config.processes.map((p) => `${p.name}:${p.dependsOn.join(",")}`);
  assert.deepEqual(names, ["api:", "web:api", "worker:"]);
  assert.equal(r.config.processes[0].env.PORT, String(r.config.processes[0].port));
});
