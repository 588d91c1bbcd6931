/**
 * End-to-end tests of the idle TTL: with `--ttl 3s` the processes are
 * stopped (with the annotation) and the daemon is gone 3-6 s after the last
 * call; a call inside the TTL postpones it; AGENT_PROCS_TTL works as --ttl.
 */

import { equal, match, ok } from "node:assert/strict";
import { alive, pollUntil, withEnv } from "./helpers/harness.ts";

/** Polls until the daemon `pid` is gone; returns when (ms since epoch). */
async function goneAt(pid: number, timeoutMs: number): Promise<number> {
  await pollUntil(() => !alive(pid), { what: `daemon ${pid} to exit`, timeoutMs });
  return Date.now();
}

Deno.test("ttl: processes stopped and the daemon gone 3-6 s after the last call", async () => {
  await withEnv("ttl", async (env) => {
    await env.ok(["run", "--name", "a", "sleep 120"]);
    const start = Date.now();
    await env.ok(["run", "--name", "b", "--ttl", "3s", "sleep 120"]);
    const end = Date.now();
    const daemon = env.daemonPid()!;
    const pids = (await env.status()).map((r) => r.pid!);
    const lastStart = Date.now();
    await env.ok(["status"]); // a call: the countdown starts again from here
    const lastEnd = Date.now();
    ok(lastEnd - start < 3000, "the status call came inside the TTL");
    const gone = await goneAt(daemon, 10_000);
    ok(gone - lastStart >= 3000, `gone ${gone - lastStart} ms after the last call started`);
    ok(gone - lastEnd <= 6000, `gone ${gone - lastEnd} ms after the last call ended`);
    ok(gone - end >= 3000, "the status call postponed the end");
    ok(pids.every((p) => !alive(p)), "processes stopped");
    for (const n of ["a", "b"]) {
      match(await env.ok(["logs", n]), /^\[agent-procs\] Session idle for 3s: stopping$/m);
    }
    equal((await env.proc("a")).state, "stopped");
  });
});

Deno.test("ttl: AGENT_PROCS_TTL sets it; --ttl 0 clears it", async () => {
  await withEnv("ttlenv", async (env) => {
    await env.ok(["run", "--name", "a", "sleep 120"], { env: { AGENT_PROCS_TTL: "1s" } });
    await env.ok(["run", "--name", "b", "--ttl", "0", "sleep 120"], {
      env: { AGENT_PROCS_TTL: "1s" },
    });
    const daemon = env.daemonPid()!;
    const t0 = Date.now();
    // Cleared: still up well after 1 s (polled, not slept).
    await pollUntil(() => Date.now() - t0 >= 2500 || !alive(daemon), {
      what: "2.5 s to pass",
    });
    ok(alive(daemon), "the daemon stayed up after --ttl 0");
    await env.ok(["run", "--name", "c", "--ttl", "1s", "sleep 120"]);
    await goneAt(daemon, 8000);
    const bad = await env.cli(["run", "--name", "d", "--ttl", "soon", "sleep 1"]);
    equal(bad.code, 1);
    match(bad.stderr, /--ttl: expected a duration/);
  });
});

Deno.test("ttl: idle_ttl in agent-procs.yaml applies to up", async () => {
  await withEnv("ttlcfg", async (env) => {
    const dir = `${env.home}/proj`;
    Deno.mkdirSync(dir);
    Deno.writeTextFileSync(
      `${dir}/agent-procs.yaml`,
      "idle_ttl: 1s\nprocesses:\n  api:\n    cmd: sleep 120\n",
    );
    await env.ok(["up"], { cwd: dir });
    const daemon = env.daemonPid()!;
    await goneAt(daemon, 8000);
    match(await env.ok(["logs", "api"], { cwd: dir }), /Session idle for 1s: stopping/);
  });
});
