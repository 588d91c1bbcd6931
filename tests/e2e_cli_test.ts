/**
 * End-to-end: CLI promises of the README not covered elsewhere. Targets given
 * by their current id (`p7`), `up --json` as one document (success and
 * failure), `run --port P` (PORT and HOST in the child's environment, the
 * explicit `--env` winning), and colour: only on a terminal, never with
 * `NO_COLOR` (the live `up` view and the terminal UI inside tmux).
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { type TestEnv, withEnv } from "./helpers/harness.ts";
import { cliCommand, shellQuote, Tmux } from "./helpers/tmux.ts";

Deno.test("targets by current id: status, logs, wait, restart, stop; an old id is unknown", async () => {
  await withEnv("ids", async (env) => {
    await env.ok(["run", "sleep 1000", "--name", "other"]);
    await env.ok(["run", "echo hello by id; sleep 1000", "--name", "web"]);
    const row = await env.proc("web");
    match(row.id, /^p\d+$/);
    const byId = JSON.parse(await env.ok(["status", row.id, "--json"])) as { name: string }[];
    deepEqual(byId.map((r) => r.name), ["web"]);
    equal(await env.ok(["wait", row.id, "--until", "hello"]), "hello by id\n");
    equal(await env.ok(["logs", row.id]), "hello by id\n");
    const restarted = await env.ok(["restart", row.id]);
    const m = restarted.match(/^restarted web \(id: (p\d+), pid: \d+\)\n$/);
    ok(m, restarted);
    const newId = m[1];
    ok(newId !== row.id, "a restart gives a new id");
    equal((await env.proc("web")).id, newId);
    const old = await env.cli(["stop", row.id]);
    equal(old.code, 2, `the previous id no longer names web: ${old.stdout}${old.stderr}`);
    equal(await env.ok(["stop", newId]), "stopped web\n");
    equal((await env.proc("web")).state, "stopped");
    equal((await env.proc("other")).state, "running", "only the named target was stopped");
  });
});

// README: `stop` prints `stopped NAME`, also for a target given by id (printed the id until
// e9f0b0b).
Deno.test("stop by id prints the process name", async () => {
  await withEnv("ids2", async (env) => {
    await env.ok(["run", "sleep 1000", "--name", "web"]);
    equal(await env.ok(["stop", (await env.proc("web")).id]), "stopped web\n");
  });
});

/** The keys of `up --json` and of each of its process rows. */
const UP_KEYS = ["blocked", "failed", "processes", "proxy"];

Deno.test("up --json prints one document {processes, failed, blocked, proxy}, also on failure", async () => {
  await withEnv("upjson", async (env) => {
    const dir = `${env.home}/proj`;
    await Deno.mkdir(`${dir}/bad`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/agent-procs.yaml`,
      "processes:\n  a:\n    cmd: echo ok; sleep 1000\n    ready: ok\n" +
        "  b:\n    cmd: sleep 1000\n    depends_on: [a]\n",
    );
    const out = await env.ok(["up", "--json"], { cwd: dir });
    const doc = JSON.parse(out) as Record<string, unknown>; // throws unless exactly one document
    deepEqual(Object.keys(doc).sort(), UP_KEYS);
    const procs = doc.processes as { name: string; state: string; ready: boolean | null }[];
    deepEqual(procs.map((p) => [p.name, p.state, p.ready]), [["a", "running", true], [
      "b",
      "running",
      null,
    ]]);
    deepEqual([doc.failed, doc.blocked, doc.proxy], [[], [], null]);
    ok(!/^(started|all processes)/m.test(out), "no text lines beside the JSON");

    await Deno.writeTextFile(
      `${dir}/bad/agent-procs.yaml`,
      "processes:\n  base:\n    cmd: echo boom; exit 3\n    ready: never printed\n" +
        "  top:\n    cmd: sleep 1000\n    depends_on: [base]\n",
    );
    const bad = await env.cli(["up", "--json", "--session", `${env.session}-b`], {
      cwd: `${dir}/bad`,
    });
    equal(bad.code, 1, bad.stderr);
    const failed = JSON.parse(bad.stdout) as Record<string, unknown>;
    deepEqual(Object.keys(failed).sort(), UP_KEYS);
    deepEqual([failed.failed, failed.blocked], [["base"], ["top"]]);
  });
});

Deno.test("run --port P: the child gets PORT=P and HOST=127.0.0.1; --env HOST wins; P is served", async () => {
  await withEnv("port", async (env) => {
    const free = () => {
      const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (l.addr as Deno.NetAddr).port;
      l.close();
      return port;
    };
    const p1 = free();
    const show = 'echo "PORT=$PORT HOST=$HOST"; sleep 1000';
    await env.ok(["run", show, "--name", "plain", "--port", String(p1)]);
    await env.ok(["run", show, "--name", "own", "--port", "4321", "--env", "HOST=0.0.0.0"]);
    equal(await env.ok(["wait", "plain", "--until", "PORT="]), `PORT=${p1} HOST=127.0.0.1\n`);
    equal(await env.ok(["wait", "own", "--until", "PORT="]), "PORT=4321 HOST=0.0.0.0\n");
    equal((await env.proc("plain")).port, p1);
    await env.ok(["stop", "plain"]);
    // A real server on the port it was given.
    const p2 = free();
    const dir = `${env.home}/www`;
    await Deno.mkdir(dir);
    await Deno.writeTextFile(`${dir}/index.html`, "served on the given port\n");
    await env.ok([
      "run",
      "python3 -m http.server $PORT --bind $HOST",
      "--name",
      "web",
      "--port",
      String(p2),
      "--ready",
      "Serving HTTP",
      "--timeout",
      "20",
    ], { cwd: dir });
    equal((await env.proc("web")).port, p2);
    equal(await (await fetch(`http://127.0.0.1:${p2}/`)).text(), "served on the given port\n");
  });
});

/** SGR sequences that set a colour (foreground or background), as tmux's `capture-pane -e` shows them. */
function colours(screen: string): string[] {
  const found: string[] = [];
  for (const m of screen.matchAll(new RegExp(String.raw`\x1b\[([0-9;:]*)m`, "g"))) {
    const params = m[1].split(/[;:]/).map(Number);
    if (params.some((n) => (n >= 30 && n <= 38) || (n >= 40 && n <= 48) || n >= 90)) {
      found.push(m[0]);
    }
  }
  return [...new Set(found)];
}

/** Runs `agent-procs ARGS` in tmux (with or without NO_COLOR) and returns its last screen with SGR. */
async function screenOf(
  env: TestEnv,
  args: string,
  noColor: boolean,
  until: RegExp,
  cwd: string,
): Promise<string> {
  const tmux = new Tmux();
  try {
    await tmux.start(`cd ${shellQuote(cwd)} && ${cliCommand(env, args, noColor)}; sleep 600`);
    await tmux.until(until, `${args} on screen (NO_COLOR ${noColor ? "set" : "unset"})`);
    return await tmux.screen(true);
  } finally {
    await tmux.kill();
  }
}

Deno.test("colour: up's live view is coloured on a terminal, plain with NO_COLOR and when piped", async () => {
  await withEnv("colour-up", async (env) => {
    const dir = `${env.home}/proj`;
    await Deno.mkdir(dir);
    await Deno.writeTextFile(
      `${dir}/agent-procs.yaml`,
      "processes:\n  svc:\n    cmd: echo ok; sleep 1000\n    ready: ok\n",
    );
    const done = /all processes started/;
    const coloured = await screenOf(env, "up", false, done, dir);
    ok(colours(coloured).length > 0, `no colour on a terminal: ${JSON.stringify(coloured)}`);
    await env.ok(["down"], { cwd: dir });
    const plain = await screenOf(env, "up", true, done, dir);
    deepEqual(colours(plain), [], `colour despite NO_COLOR: ${JSON.stringify(plain)}`);
    await env.ok(["down"], { cwd: dir });
    const piped = await env.cli(["up"], { cwd: dir, unsetEnv: ["NO_COLOR"] });
    equal(piped.code, 0, piped.stderr);
    ok(!piped.stdout.includes("\x1b") && !piped.stderr.includes("\x1b"), "escapes in piped output");
  });
});

Deno.test("colour: the terminal UI uses colour on a terminal", async () => {
  await withEnv("colour-ui", async (env) => {
    await env.ok(["run", "echo out-line; echo err-line >&2; sleep 1000", "--name", "svc"]);
    await env.ok(["wait", "svc", "--until", "err-line"]);
    const coloured = await screenOf(env, "ui", false, /err-line/, env.home);
    ok(colours(coloured).length > 0, `no colour in the UI: ${JSON.stringify(coloured)}`);
  });
});

// README: "Colour only on a terminal and never with NO_COLOR" (the UI drew its colours regardless
// until e9f0b0b).
Deno.test("colour: the terminal UI draws no colour with NO_COLOR", async () => {
  await withEnv("colour-ui2", async (env) => {
    await env.ok(["run", "echo out-line; echo err-line >&2; sleep 1000", "--name", "svc"]);
    await env.ok(["wait", "svc", "--until", "err-line"]);
    const plain = await screenOf(env, "ui", true, /err-line/, env.home);
    deepEqual(colours(plain), [], `colour despite NO_COLOR: ${JSON.stringify(plain)}`);
  });
});
