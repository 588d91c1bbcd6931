/**
 * Every config error, with its exact line and column: real files in a temp
 * dir, loaded by `loadConfig`.
 */

import assert from "node:assert/strict";
import { errorsOf, firstError, loadInTemp } from "./test_helpers.ts";
import { formatConfigError, loadConfig } from "./load.ts";

const cases: [string, string, string][] = [
  ["YAML syntax error", "processes:\n  a: {cmd: x\n", "3:1: YAML syntax error: "],
  [
    "tab indentation",
    "processes:\n\ta:\n",
    "2:1: YAML syntax error: Tabs are not allowed as indentation",
  ],
  ["duplicate key", "processes:\n  a:\n    cmd: x\n    cmd: y\n", '4:5: duplicate key "cmd"'],
  [
    "two documents",
    "processes: {a: {cmd: x}}\n---\nb: 1\n",
    "2:1: the file holds more than one YAML document",
  ],
  [
    "unknown top-level key with suggestion",
    "sesion: x\nprocesses:\n  a:\n    cmd: x\n",
    '1:1: unknown top-level key "sesion" (did you mean "session"?)',
  ],
  [
    "misspelt processes, reported once",
    "procesess:\n  a:\n    cmd: x\n",
    '1:1: unknown top-level key "procesess" (did you mean "processes"?)',
  ],
  [
    "unknown process key with suggestion",
    "processes:\n  api:\n    cmd: x\n    depend_on: [db]\n",
    '4:5: processes.api: unknown key "depend_on" (did you mean "depends_on"?)',
  ],
  [
    "unknown process key from another tool",
    "processes:\n  api:\n    command: x\n",
    '2:3: processes.api: missing required key "cmd"',
  ],
  [
    "unknown key, no suggestion",
    "processes:\n  a:\n    cmd: x\n    zzzzzz: 1\n",
    '4:5: processes.a: unknown key "zzzzzz"',
  ],
  [
    "process key at the top level",
    "port: 80\nprocesses:\n  a:\n    cmd: x\n",
    '1:1: unknown top-level key "port" ("port" belongs under processes.NAME)',
  ],
  [
    "process outside processes",
    "web:\n  cmd: x\nprocesses:\n  a:\n    cmd: x\n",
    '1:1: unknown top-level key "web" (to define process "web", put it under "processes:")',
  ],
  [
    "wrong type: cmd is a list",
    "processes:\n  a:\n    cmd: [x]\n",
    "3:10: processes.a.cmd: expected a string, got a list",
  ],
  [
    "wrong type: proxy",
    "proxy: yes\nprocesses:\n  a:\n    cmd: x\n",
    '1:8: proxy: expected true or false, got the string "yes"',
  ],
  [
    "wrong type: port as string",
    'processes:\n  a:\n    cmd: x\n    port: "80"\n',
    '4:11: processes.a.port: expected an integer from 1 to 65535, got the string "80"',
  ],
  [
    "port out of range",
    "processes:\n  a:\n    cmd: x\n    port: 70000\n",
    "4:11: processes.a.port: expected an integer from 1 to 65535, got the number 70000",
  ],
  [
    "port zero",
    "processes:\n  a:\n    cmd: x\n    port: 0\n",
    "4:11: processes.a.port: expected an integer from 1 to 65535, got the number 0",
  ],
  [
    "proxy_port out of range",
    "proxy_port: 99999\nprocesses:\n  a:\n    cmd: x\n",
    "1:13: proxy_port: expected an integer from 1 to 65535",
  ],
  [
    "unknown restart mode",
    "processes:\n  a:\n    cmd: x\n    autorestart: on_failure\n",
    '4:18: processes.a.autorestart: unknown value "on_failure", expected one of always, on-failure, never (did you mean "on-failure"?)',
  ],
  [
    "bad stdin mode",
    "processes:\n  a:\n    cmd: x\n    stdin: piped\n",
    '4:12: processes.a.stdin: unknown value "piped", expected one of pipe, null (did you mean "pipe"?)',
  ],
  [
    "max_restarts negative",
    "processes:\n  a:\n    cmd: x\n    max_restarts: -1\n",
    "4:19: processes.a.max_restarts: expected an integer >= 0, got the number -1",
  ],
  [
    "max_restarts fractional",
    "processes:\n  a:\n    cmd: x\n    max_restarts: 1.5\n",
    "4:19: processes.a.max_restarts: expected an integer >= 0, got the number 1.5",
  ],
  [
    "bad stop signal",
    "processes:\n  a:\n    cmd: x\n    stop_signal: SIGTREM\n",
    '4:18: processes.a.stop_signal: unknown or unusable stop signal "SIGTREM" (did you mean "SIGTERM"?)',
  ],
  [
    "duration without unit",
    'processes:\n  a:\n    cmd: x\n    stop_timeout: "5"\n',
    '4:19: processes.a.stop_timeout: expected a duration such as 500ms, 10s or 2m, got "5" (add a unit: "5s" or "5ms")',
  ],
  [
    "ready_timeout zero",
    "processes:\n  a:\n    cmd: x\n    ready_timeout: 0\n",
    "4:20: processes.a.ready_timeout: must be greater than 0, got 0",
  ],
  [
    "env value is a map",
    "processes:\n  a:\n    cmd: x\n    env:\n      A: {b: 1}\n",
    "5:10: processes.a.env.A: expected a string, number or boolean, got a map",
  ],
  [
    "env value is null",
    "env:\n  A:\nprocesses:\n  a:\n    cmd: x\n",
    '2:3: env.A: expected a string, number or boolean, got null (write "" for an empty value)',
  ],
  [
    "watch is not a list",
    'processes:\n  a:\n    cmd: x\n    watch: "src/**"\n',
    '4:12: processes.a.watch: expected a list of strings, got the string "src/**"',
  ],
  [
    "depends_on item is not a string",
    "processes:\n  a:\n    cmd: x\n    depends_on: [b, 3]\n  b:\n    cmd: y\n",
    "4:21: processes.a.depends_on: expected a non-empty string in the list, got the number 3",
  ],
  [
    "ready with two checks",
    "processes:\n  a:\n    cmd: x\n    ready: {tcp: 80, cmd: x}\n",
    "4:12: processes.a.ready: expected exactly one of log, http, tcp, cmd, listen, got tcp and cmd",
  ],
  [
    "ready listen not true",
    "processes:\n  a:\n    cmd: x\n    ready: {listen: 5174}\n",
    "4:21: processes.a.ready.listen: expected true, got the number 5174",
  ],
  [
    "ready regex invalid",
    'processes:\n  a:\n    cmd: x\n    ready: {log: "(", regex: true}\n',
    "4:18: processes.a.ready.log: invalid regular expression: ",
  ],
  [
    "ready http not a URL",
    "processes:\n  a:\n    cmd: x\n    ready:\n      http: localhost:80\n",
    '5:13: processes.a.ready.http: expected an http:// or https:// URL, got "localhost:80"',
  ],
  [
    "ready key of another check",
    "processes:\n  a:\n    cmd: x\n    ready: {http: 'http://x/', regex: true}\n",
    '4:32: processes.a.ready: unknown key "regex" for a http check (allowed: http)',
  ],
  [
    "bad process name",
    "processes:\n  -web:\n    cmd: x\n",
    '2:3: processes: invalid process name "-web" (it cannot start with "-")',
  ],
  [
    "bad session name",
    "session: ../etc\nprocesses:\n  a:\n    cmd: x\n",
    '1:10: session: invalid session name "../etc" (it cannot start with ".")',
  ],
  [
    "unknown dependency",
    "processes:\n  web:\n    cmd: x\n    depends_on:\n      - db\n      - apii\n  api:\n    cmd: y\n",
    '5:9: processes.web.depends_on: unknown process "db"',
  ],
  [
    "unknown dependency with suggestion",
    "processes:\n  web:\n    cmd: x\n    depends_on: [apii]\n  api:\n    cmd: y\n",
    '4:18: processes.web.depends_on: unknown process "apii" (did you mean "api"?)',
  ],
  [
    "self dependency",
    "processes:\n  a:\n    cmd: x\n    depends_on: [a]\n",
    "4:18: processes.a.depends_on: a process cannot depend on itself",
  ],
  [
    "three-node cycle",
    "processes:\n  web:\n    cmd: x\n    depends_on: [api]\n  db:\n    cmd: x\n    depends_on: [web]\n  api:\n    cmd: x\n    depends_on: [db]\n",
    "2:3: dependency cycle: web -> api -> db -> web",
  ],
  [
    "cycle reported from the first process in file order",
    "processes:\n  z:\n    cmd: x\n  b:\n    cmd: x\n    depends_on: [c]\n  c:\n    cmd: x\n    depends_on: [b]\n",
    "4:3: dependency cycle: b -> c -> b",
  ],
  ["missing processes", "session: s\n", '1:1: missing required top-level key "processes"'],
  [
    "empty processes",
    "processes: {}\n",
    "1:12: processes: expected a map of process names to definitions, got an empty map",
  ],
  [
    "a file that is a list",
    "- a\n- b\n",
    "1:1: expected a map at the top level (session, proxy, env, processes, ...), got a list",
  ],
  [
    "a file that is a scalar",
    "hello\n",
    '1:1: expected a map at the top level (session, proxy, env, processes, ...), got the string "hello"',
  ],
  [
    "process without cmd",
    "processes:\n  a:\n    cwd: .\n",
    '2:3: processes.a: missing required key "cmd"',
  ],
  [
    "process with empty cmd",
    'processes:\n  a:\n    cmd: ""\n',
    "3:10: processes.a.cmd: must not be empty",
  ],
  [
    "process that is not a map",
    "processes:\n  a: npm start\n",
    '2:6: processes.a: expected a map with at least "cmd", got the string "npm start"',
  ],
  ["unknown alias", "processes:\n  a:\n    cmd: *nope\n", "3:10: unknown alias *nope"],
  [
    "session the line scanner cannot read",
    "{session: s1, processes: {a: {cmd: x}}}\n",
    '1:11: session: write it on one line as "session: NAME" at the top level',
  ],
];

for (const [name, yaml, expected] of cases) {
  Deno.test(`config error: ${name}`, async () => {
    const got = await firstError(yaml);
    assert(
      got.startsWith(expected),
      `expected ${JSON.stringify(expected)}\n     got ${JSON.stringify(got)}`,
    );
  });
}

/** Loads files in a temp dir and returns the first error with the temp dir. */
async function errorIn(files: Record<string, string>) {
  const { dir, result } = await loadInTemp(files);
  if (result.ok) throw new Error("expected an error, the config loaded");
  return { dir, e: result.error, where: `${result.error.line}:${result.error.col}` };
}

Deno.test("config error: a cwd that does not exist, and one that is a file", async () => {
  const missing = await errorIn({
    "agent-procs.yaml": "processes:\n  a:\n    cmd: x\n    cwd: ./nope\n",
  });
  assert.deepEqual(missing.where, "4:10");
  assert.deepEqual(
    missing.e.message,
    `processes.a.cwd: directory ${missing.dir}/nope does not exist`,
  );
  const file = await errorIn({
    "agent-procs.yaml": "processes:\n  a:\n    cmd: x\n    cwd: f.txt\n",
    "f.txt": "x",
  });
  assert.deepEqual(file.where, "4:10");
  assert.deepEqual(file.e.message, `processes.a.cwd: ${file.dir}/f.txt is not a directory`);
  assert.deepEqual(file.e.file, `${file.dir}/agent-procs.yaml`);
});

Deno.test("config error: env_file missing, a directory, and (when not root) unreadable", async () => {
  // Tests may run as root, where a chmod 000 file is still readable: a
  // directory and a missing file stand in for "unreadable" there.
  const missing = await errorIn({
    "agent-procs.yaml": "env_file: .env\nprocesses:\n  a:\n    cmd: x\n",
  });
  assert.deepEqual(
    `${missing.where}: ${missing.e.message}`,
    '1:11: env_file: cannot read ".env": file not found',
  );
  const dir = await errorIn({
    "agent-procs.yaml": "processes:\n  a:\n    cmd: x\n    env_file: [ok.env, sub]\n",
    "ok.env": "A=1\n",
    "sub/x": "",
  });
  assert.deepEqual(dir.where, "4:24");
  assert.match(dir.e.message, /^processes\.a\.env_file: cannot read "sub": /);
  if (Deno.uid() === 0) return;
  const tmp = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${tmp}/agent-procs.yaml`,
      "processes:\n  a:\n    cmd: x\n    env_file: secret.env\n",
    );
    await Deno.writeTextFile(`${tmp}/secret.env`, "A=1\n");
    await Deno.chmod(`${tmp}/secret.env`, 0o000);
    const r = errorsOf(await loadConfig(`${tmp}/agent-procs.yaml`, {}));
    assert.deepEqual(
      r.error.message,
      'processes.a.env_file: cannot read "secret.env": permission denied',
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("config error: a syntax error in an env file names that file and line", async () => {
  const { dir, e } = await errorIn({
    "agent-procs.yaml": "processes:\n  a:\n    cmd: x\n    env_file: .env\n",
    ".env": "# comment\nA=1\nnot a line\n",
  });
  assert.deepEqual([e.file, e.line, e.col], [`${dir}/.env`, 3, 1]);
  assert.deepEqual(e.message, 'expected KEY=VALUE, got "not a line"');
});

Deno.test("config error: missing file, empty file, comments only, a directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const missing = errorsOf(await loadConfig(`${dir}/agent-procs.yaml`, {}));
    assert.deepEqual(missing.error, {
      file: `${dir}/agent-procs.yaml`,
      line: null,
      col: null,
      message: "cannot read the config: file not found",
    });
    for (const text of ["", "\n\n", "# nothing yet\n"]) {
      await Deno.writeTextFile(`${dir}/agent-procs.yaml`, text);
      const r = errorsOf(await loadConfig(`${dir}/agent-procs.yaml`, {}));
      assert.deepEqual(r.error.line, null);
      assert.deepEqual(r.error.message, 'the file is empty; it needs at least a "processes:" map');
    }
    await Deno.mkdir(`${dir}/d.yaml`);
    const d = errorsOf(await loadConfig(`${dir}/d.yaml`, {}));
    assert.match(d.error.message, /^cannot read the config: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("config error: all errors are collected in file order", async () => {
  const result = errorsOf(
    (await loadInTemp({
      "agent-procs.yaml":
        "processes:\n  a:\n    cmd: x\n    port: 0\n  b:\n    cmd: [y]\nproxy: 1\n",
    })).result,
  );
  assert.deepEqual(result.errors.map((e) => `${e.line}:${e.col}`), ["4:11", "6:10", "7:8"]);
  assert.deepEqual(result.error, result.errors[0]);
});

Deno.test("formatConfigError: file:line:col, relative to the cwd when shorter", () => {
  const cwd = Deno.cwd();
  const e = { file: `${cwd}/x/agent-procs.yaml`, line: 3, col: 7, message: "bad" };
  assert.deepEqual(formatConfigError(e), "x/agent-procs.yaml:3:7: bad");
  assert.deepEqual(formatConfigError({ ...e, line: null, col: null }), "x/agent-procs.yaml: bad");
  assert.deepEqual(
    formatConfigError({ ...e, file: "/agent-procs.yaml" }),
    "/agent-procs.yaml:3:7: bad",
  );
});
