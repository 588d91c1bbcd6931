/**
 * Prompts that wait (SPEC §16), end to end against real programs: Python
 * `input()` and `getpass`, Node `readline`, a shell question; `awaiting_input`
 * in status, `input?` in the table, the `awaiting-input` event; waits,
 * `run --ready`, `wait --settle` and `up` failing at once with the prompt and
 * a hint; and output that only looks like a question for a moment.
 */

import { equal, match, ok } from "node:assert/strict";
import { pollUntil, type TestEnv, withEnv } from "./helpers/harness.ts";

interface Row {
  name: string;
  state: string;
  stdin: string;
  awaiting_input: { prompt: string; since: string } | null;
}

async function row(env: TestEnv, name: string): Promise<Row | undefined> {
  return (JSON.parse(await env.ok(["status", "--json"])) as Row[]).find((r) => r.name === name);
}

/** Polls until `name` waits at a prompt; returns the row. */
async function awaiting(env: TestEnv, name: string, timeoutMs = 5000): Promise<Row> {
  return await pollUntil(async () => {
    const r = await row(env, name);
    return r?.awaiting_input ? r : null;
  }, { what: `${name} awaiting input`, timeoutMs, seen: () => row(env, name) });
}

const PY = 'x = input("Proceed? (y/n) "); print("read", x); print("done")';

Deno.test("prompt: Python input() under --stdin is awaiting input within 2 s; send goes on", async () => {
  await withEnv("prompt-py", async (env) => {
    await env.ok(["run", "--stdin", "-n", "py", "--", "python3", "-c", PY]);
    const t0 = Date.now();
    const r = await awaiting(env, "py");
    // Timed by the daemon's own record (the event), not by when a status poll came round to it.
    const ev = JSON.parse(
      (await env.ok(["events", "py", "--json"])).split("\n").find((l) =>
        l.includes('"awaiting-input"')
      ) ?? "{}",
    );
    const took = Date.parse(ev.time) - t0;
    ok(took < 2000, `the prompt was reported ${took} ms after run returned`);
    equal(r.awaiting_input?.prompt, "Proceed? (y/n)");
    equal(r.stdin, "pipe");
    match(await env.ok(["status"]), /^py\s+\d+\s+input\?/m);
    const named = await env.ok(["status", "py"]);
    match(named, /py is waiting for input \(since .*\): "Proceed\? \(y\/n\)"/);
    const events = await env.ok(["events", "py", "--json"]);
    match(events, /"type":"awaiting-input","prompt":"Proceed\? \(y\/n\)"/);

    const w = await env.cli(["wait", "py", "--until", "done"]);
    equal(w.code, 1, w.stderr);
    match(w.stderr, /^error: py is waiting for input: "Proceed\? \(y\/n\)"$/m);
    match(w.stderr, /^hint: answer it: agent-procs send py TEXT/m);
    const s = await env.cli(["wait", "py", "--settle"]);
    equal(s.code, 1, s.stderr);
    match(s.stderr, /py is waiting for input/);

    await env.ok(["send", "py", "y"]);
    match(await env.ok(["wait", "py", "--until", "done"]), /done/);
    match(await env.ok(["logs", "py"]), /read y/);
    equal((await row(env, "py"))?.awaiting_input, null);
  });
});

Deno.test("prompt: without --stdin, wait --until fails in under 3 s with the prompt and a hint", async () => {
  await withEnv("prompt-nostdin", async (env) => {
    const t0 = Date.now();
    await env.ok(["run", "-n", "py", "--", "python3", "-c", PY]);
    const w = await env.cli(["wait", "py", "--until", "done"]);
    const took = Date.now() - t0;
    ok(took < 3000, `took ${took} ms`);
    equal(w.code, 1, w.stderr);
    match(w.stderr, /py asked "Proceed\? \(y\/n\)" and exited \(exit 1\) without printing "done"/);
    match(w.stderr, /EOFError/);
    match(w.stderr, /^hint: restart it with a stdin pipe \(run --stdin/m);
  });
});

Deno.test("prompt: a question that waits on something else fails run --ready at once", async () => {
  await withEnv("prompt-ready", async (env) => {
    const t0 = Date.now();
    const sh = 'printf "Continue? [Y/n] "; sleep 30';
    const r = await env.cli(["run", "-n", "q", "--ready", "listening", "--", "sh", "-c", sh]);
    ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
    equal(r.code, 1, r.stderr);
    match(r.stderr, /^error: q is waiting for input: "Continue\? \[Y\/n\]"$/m);
    match(r.stderr, /^hint: restart it with a stdin pipe/m);
  });
});

Deno.test("prompt: Node readline and Python getpass (on stderr) are detected", async () => {
  await withEnv("prompt-node", async (env) => {
    const js = 'const rl = require("readline").createInterface({ input: process.stdin, ' +
      'output: process.stdout }); rl.question("What is your name? ", (a) => { ' +
      'console.log("hi " + a); rl.close(); });';
    await env.ok(["run", "--stdin", "-n", "node", "--", "node", "-e", js]);
    const py = "import getpass; print('got', getpass.getpass())";
    await env.ok(["run", "--stdin", "-n", "pw", "--", "python3", "-c", py]);
    equal((await awaiting(env, "node")).awaiting_input?.prompt, "What is your name?");
    equal((await awaiting(env, "pw")).awaiting_input?.prompt, "Password:");
    await env.ok(["send", "node", "bob"]);
    match(await env.ok(["wait", "node", "--until", "hi bob"]), /hi bob/);
  });
});

Deno.test("prompt: a shell script's question; `Loading:` that goes on in 200 ms is never one", async () => {
  await withEnv("prompt-sh", async (env) => {
    const ask = 'printf "Name: "; read n; echo "hi $n"; sleep 30';
    await env.ok(["run", "--stdin", "-n", "ask", "--", "bash", "-c", ask]);
    const load = 'printf "Loading:"; sleep 0.2; echo " done"; sleep 30';
    await env.ok(["run", "-n", "load", "--", "sh", "-c", load]);
    equal((await awaiting(env, "ask")).awaiting_input?.prompt, "Name:");
    await env.ok(["send", "ask", "ann"]);
    await env.ok(["wait", "ask", "--until", "hi ann"]);
    // Settling needs 1.5 s of silence after " done", and fails if a prompt is seen meanwhile.
    match(await env.ok(["wait", "load", "--settle", "--quiet", "1500"]), /load settled: ok/);
    equal((await row(env, "load"))?.awaiting_input, null);
    const events = (await env.ok(["events", "load", "--json"])).trim().split("\n");
    equal(events.map((l) => JSON.parse(l).type).includes("awaiting-input"), false);
  });
});

Deno.test("prompt: up fails at once when a process waits at a prompt before it is ready", async () => {
  await withEnv("prompt-up", async (env) => {
    const dir = `${env.home}/proj`;
    await Deno.mkdir(dir);
    const cmd = `printf 'Port 3000 is in use, use 3001? (Y/n) '; read a; echo listening; sleep 30`;
    await Deno.writeTextFile(
      `${dir}/agent-procs.yaml`,
      `processes:\n  web:\n    cmd: ${
        JSON.stringify(cmd)
      }\n    stdin: pipe\n    ready: listening\n`,
    );
    const t0 = Date.now();
    const up = await env.cli(["up"], { cwd: dir });
    ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
    equal(up.code, 1, up.stderr);
    match(up.stderr, /error: web is waiting for input: "Port 3000 is in use, use 3001\? \(Y\/n\)"/);
    match(up.stderr, /hint: answer it: agent-procs send web TEXT/);
    await env.ok(["send", "web", "y"], { cwd: dir });
    await env.ok(["wait", "web", "--ready"], { cwd: dir });
  });
});

Deno.test("prompt: once answered, a program that works silently is not waiting any more", async () => {
  await withEnv("prompt-answered", async (env) => {
    const py = 'import time; input("Proceed? (y/n) "); time.sleep(30)';
    await env.ok(["run", "--stdin", "-n", "py", "--", "python3", "-c", py]);
    await awaiting(env, "py");
    await env.ok(["send", "py", "y"]);
    equal((await row(env, "py"))?.awaiting_input, null);
    // Settling takes 1.5 s of silence and fails if the prompt is reported again meanwhile.
    match(await env.ok(["wait", "py", "--settle", "--quiet", "1500"]), /py settled: ok/);
  });
});

Deno.test("prompt: bash read -p shows its prompt only on a terminal; send answers it all the same", async () => {
  await withEnv("prompt-bash", async (env) => {
    // bash(1): "The prompt is displayed only if input is coming from a terminal." With a pipe
    // nothing is printed, so there is no question to see; `printf "Name: "; read` is (above).
    const sh = 'read -p "Name: " n; echo "hi $n"; sleep 30';
    await env.ok(["run", "--stdin", "-n", "b", "--", "bash", "-c", sh]);
    await env.ok(["send", "b", "bob"]);
    match(await env.ok(["wait", "b", "--until", "hi bob"]), /hi bob/);
    equal(await env.ok(["logs", "b"]), "hi bob\n");
  });
});
