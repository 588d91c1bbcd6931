/**
 * `wait --settle` after real edits: a watched Python server restarted by the
 * watcher, and a Node script that reloads itself without restarting (the
 * common dev-server case). Each verdict comes within 3 s of the edit.
 */

import { equal, match, ok } from "node:assert/strict";
import { type TestEnv, withEnv } from "./helpers/harness.ts";

const GOOD_PY = [
  "import http.server, socketserver, os",
  "s = socketserver.TCPServer(('127.0.0.1', 0), http.server.SimpleHTTPRequestHandler)",
  "print('serving', flush=True)",
  "s.serve_forever()",
].join("\n");

async function settle(
  env: TestEnv,
  name: string,
): Promise<{ code: number; out: string; ms: number }> {
  const t0 = Date.now();
  const r = await env.cli(["wait", name, "--settle", "--quiet", "700", "--timeout", "20"]);
  return { code: r.code, out: r.stdout + r.stderr, ms: Date.now() - t0 };
}

Deno.test("settle: a watched Python server broken then fixed: error with the SyntaxError, then ok", async () => {
  await withEnv("settle-py", async (env) => {
    const dir = await Deno.makeTempDir({ dir: env.home });
    await Deno.writeTextFile(`${dir}/app.py`, GOOD_PY);
    await env.ok([
      "run",
      "-n",
      "py",
      "--cwd",
      dir,
      "--watch",
      "*.py",
      "--",
      "python3",
      "-u",
      "app.py",
    ]);
    await env.ok(["wait", "py", "--until", "serving"]);
    const first = await settle(env, "py");
    equal(first.code, 0, first.out);
    match(first.out, /^py settled: ok \(up \d+s\)$/m);

    await Deno.writeTextFile(
      `${dir}/app.py`,
      GOOD_PY.replace("print('serving'", "print('serving'("),
    );
    const broken = await settle(env, "py");
    equal(broken.code, 1, broken.out);
    match(broken.out, /^py settled: error$/m);
    match(broken.out, /SyntaxError/);
    ok(broken.ms < 3000 + 700, `took ${broken.ms} ms`);

    await Deno.writeTextFile(`${dir}/app.py`, GOOD_PY);
    const fixed = await settle(env, "py");
    equal(fixed.code, 0, fixed.out);
    match(fixed.out, /^py settled: ok \(up \d+s; restarted \(app\.py changed\)\)$/m);
    ok(fixed.ms < 3000 + 700, `took ${fixed.ms} ms`);
  });
});

const RELOADER = `
const fs = require("fs");
const file = process.argv[1];
let last = fs.readFileSync(file, "utf8");
console.log("watching");
setInterval(() => {
  const now = fs.readFileSync(file, "utf8");
  if (now === last) return;
  last = now;
  if (now.includes("BRO" + "KEN")) console.error("Error: Unexpected token in " + file);
  else console.log("rebuilt in 12ms");
}, 100);
`;

Deno.test("settle: a hot-reloading script is judged on its newest burst, not an older one", async () => {
  await withEnv("settle-hmr", async (env) => {
    const dir = await Deno.makeTempDir({ dir: env.home });
    const file = `${dir}/dev.js`;
    await Deno.writeTextFile(file, RELOADER);
    await env.ok(["run", "-n", "dev", "--", "node", file]);
    await env.ok(["wait", "dev", "--until", "watching"]);

    await Deno.writeTextFile(file, RELOADER + "\n// BROKEN\n");
    const broken = await settle(env, "dev");
    equal(broken.code, 1, broken.out);
    match(broken.out, /Error: Unexpected token/);
    ok(broken.ms < 3000 + 700, `took ${broken.ms} ms`);

    await Deno.writeTextFile(file, RELOADER + "\n// fixed\n");
    const fixed = await settle(env, "dev");
    equal(fixed.code, 0, fixed.out);
    match(fixed.out, /^dev settled: ok \(up \d+s\)$/m);
    ok(fixed.ms < 3000 + 700, `took ${fixed.ms} ms`);
    const json = JSON.parse(
      (await env.cli(["wait", "dev", "--settle", "--quiet", "300", "--json"])).stdout,
    );
    equal(json[0].verdict, "ok");
    equal(json[0].restarted, false);
  });
});
