/**
 * Input end to end (SPEC §16), against real programs: a stdin pipe kept by
 * the daemon (`run --stdin`, `stdin: pipe`), a new pipe per incarnation,
 * `send` with text, keys and `--eof`, and its errors.
 */

import { equal, match, ok } from "node:assert/strict";
import { pollUntil, type TestEnv, withEnv } from "./helpers/harness.ts";

/** The stdout lines of `name` (waits until `want` is among them, reporting what was seen). */
async function waitLine(env: TestEnv, name: string, want: string): Promise<string[]> {
  let seen: string[] = [];
  return await pollUntil(async () => {
    seen = (await env.ok(["logs", name])).split("\n");
    return seen.includes(want) ? seen : null;
  }, { what: `${name} to print ${JSON.stringify(want)}`, seen: () => seen });
}

const PY_PROMPT = 'x = input("Proceed? (y/n) "); print("read", x); print("done")';

Deno.test("send: answers Python's input() through the pipe, then the program goes on", async () => {
  await withEnv("send-py", async (env) => {
    await env.ok(["run", "--stdin", "-n", "py", "--", "python3", "-c", PY_PROMPT]);
    equal(await env.ok(["send", "py", "y"]), "sent 2 bytes to py\n");
    match(await env.ok(["wait", "py", "--until", "done"]), /done/);
    await waitLine(env, "py", "Proceed? (y/n) read y");
    equal(await env.ok(["wait", "py", "--exit"]), "exited with code 0\n");
  });
});

Deno.test("send --eof: closes stdin, so cat ends with exit 0; keys are bytes", async () => {
  await withEnv("send-eof", async (env) => {
    await env.ok(["run", "--stdin", "-n", "c", "--", "cat"]);
    await env.ok(["send", "c", "hello", "world"]);
    await env.ok(["send", "c", "--no-newline", "a", "--key", "tab", "--key", "enter"]);
    const eof = await env.ok(["send", "c", "--eof"]);
    equal(eof, "closed the stdin of c\n");
    equal(await env.ok(["wait", "c", "--exit"]), "exited with code 0\n");
    const lines = await waitLine(env, "c", "hello world");
    ok(lines.includes("a\t"), JSON.stringify(lines));
  });
});

Deno.test("send: every incarnation gets a new pipe (auto-restart after eof)", async () => {
  await withEnv("send-restart", async (env) => {
    await env.ok([
      "run",
      "--stdin",
      "-n",
      "c",
      "--autorestart",
      "always",
      "--restart-delay",
      "100",
      "--",
      "cat",
    ]);
    await env.ok(["send", "c", "first", "--eof"]);
    await pollUntil(async () => {
      const r = await env.proc("c");
      return r.generation === 2 && r.state === "running";
    }, { what: "the second incarnation of c", seen: () => env.proc("c") });
    await env.ok(["send", "c", "second"]);
    await waitLine(env, "c", "second");
  });
});

Deno.test("send: no stdin pipe is exit 1 with how to get one; an unknown name is exit 2", async () => {
  await withEnv("send-errors", async (env) => {
    await env.ok(["run", "-n", "s", "--", "sleep", "30"]);
    const none = await env.cli(["send", "s", "y"]);
    equal(none.code, 1, none.stderr);
    equal(none.stderr, "error: s has no stdin (start it with --stdin)\n");
    const unknown = await env.cli(["send", "nope", "y"]);
    equal(unknown.code, 2, unknown.stderr);
    match(unknown.stderr, /no process named nope/);
    const json = await env.cli(["send", "s", "--key", "f13"]);
    equal(json.code, 1);
    match(json.stderr, /unknown key "f13"/);
  });
});

Deno.test("send: stdin: pipe in agent-procs.yaml", async () => {
  await withEnv("send-config", async (env) => {
    const dir = `${env.home}/proj`;
    await Deno.mkdir(dir);
    await Deno.writeTextFile(
      `${dir}/agent-procs.yaml`,
      "processes:\n  echo:\n    cmd: cat\n    stdin: pipe\n",
    );
    await env.ok(["up"], { cwd: dir });
    const r = JSON.parse(await env.ok(["send", "echo", "from", "config", "--json"], { cwd: dir }));
    equal(r.bytes, 12);
    await waitLine(env, "echo", "from config");
  });
});

Deno.test("send with no daemon: a known name is not running (exit 1), an unknown one exit 2", async () => {
  await withEnv("send-nodaemon", async (env) => {
    await env.ok(["run", "--stdin", "-n", "c", "--", "cat"]);
    await env.ok(["stop", "c"]);
    await pollUntil(() => env.daemonPid() === null, { what: "the daemon to exit" });
    const known = await env.cli(["send", "c", "hi"]);
    equal(known.code, 1, known.stderr);
    match(known.stderr, /^error: c is not running$/m);
    equal((await env.cli(["send", "nope", "hi"])).code, 2);
    equal(env.daemonPid(), null, "send starts no daemon");
  });
});
