/**
 * End-to-end tests of `run --ensure`: the same spec keeps the running
 * process (same pid, exit 0), a changed `--env` restarts it with the new
 * value, and a stopped one is started; the MCP `run` tool takes `ensure` too.
 */

import { equal, match, notEqual } from "node:assert/strict";
import { withEnv } from "./helpers/harness.ts";

const CMD = "echo value=$V; exec sleep 120";

Deno.test("run --ensure: same spec kept, changed env restarted, stopped started", async () => {
  await withEnv("ensure", async (env) => {
    const first = await env.ok(["run", "--name", "w", "--ensure", "-e", "V=1", CMD]);
    match(first, /^w \(id: p1, pid: \d+\)$/m);
    const pid1 = (await env.proc("w")).pid;

    const same = await env.cli(["run", "--name", "w", "--ensure", "-e", "V=1", CMD]);
    equal(same.code, 0, same.stderr);
    equal(same.stdout.trim(), `w already running (id: p1, pid: ${pid1})`);
    equal((await env.proc("w")).pid, pid1);

    const changed = await env.ok([
      "run",
      "--name",
      "w",
      "--ensure",
      "-e",
      "V=2",
      CMD,
      "--ready",
      "value=2",
    ]);
    const pid2 = (await env.proc("w")).pid;
    notEqual(pid2, pid1);
    equal(changed.trim(), `w restarted with a new spec (id: p2, pid: ${pid2})`);
    match(await env.ok(["logs", "w"]), /^value=2$/m);

    // Kept with --ready: the line printed earlier still counts.
    const kept = await env.cli([
      "run",
      "--name",
      "w",
      "--ensure",
      "-e",
      "V=2",
      "--ready",
      "value=2",
      CMD,
    ]);
    equal(kept.code, 0, kept.stderr);
    match(kept.stdout, /^w already running/);

    await env.ok(["stop", "w"]);
    const started = await env.ok(["run", "--name", "w", "--ensure", "-e", "V=2", CMD]);
    match(started, /^w \(id: p3, pid: \d+\)$/m);
    equal((await env.proc("w")).state, "running");

    const json = JSON.parse(
      await env.ok(["run", "--json", "--name", "w", "--ensure", "-e", "V=2", CMD]),
    );
    equal(json.outcome, "kept");

    const noName = await env.cli(["run", "--ensure", CMD]);
    equal(noName.code, 1);
    match(noName.stderr, /--ensure needs --name/);
  });
});
