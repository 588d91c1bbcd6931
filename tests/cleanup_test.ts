/**
 * End-to-end tests of cleaning up after agents: every child carries
 * `AGENT_PROCS_SESSION`/`AGENT_PROCS_NAME`, and `session clean` finds and
 * stops the marked groups of a session whose daemon was killed with SIGKILL
 * and whose state file was deleted, leaving a live session's processes alone.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { alive, pollUntil, withEnv } from "./helpers/harness.ts";

Deno.test("marker: every child has AGENT_PROCS_SESSION and AGENT_PROCS_NAME", async () => {
  await withEnv("marker", async (env) => {
    await env.ok(["run", "--name", "m", "echo s=$AGENT_PROCS_SESSION n=$AGENT_PROCS_NAME"]);
    await env.ok(["wait", "m", "--exit"]);
    match(await env.ok(["logs", "m"]), new RegExp(`^s=${env.session} n=m$`, "m"));
  });
});

Deno.test("session clean: stops marked groups whose daemon and state file are gone, nothing else", async () => {
  await withEnv("orphans", async (env) => {
    const live = { env: { AGENT_PROCS_SESSION: `${env.session}-live` } };
    await env.ok(["run", "--name", "keep", "sleep 120"], live);
    await env.ok(["run", "--name", "a", "sleep 120"]);
    await env.ok(["run", "--name", "b", "sh -c 'sleep 120 & wait'"]);
    const rows = await env.status();
    const pids = rows.map((r) => r.pid!);
    const keepPid = (JSON.parse(await env.ok(["status", "--json"], live)) as { pid: number }[])[0]
      .pid;
    const daemon = env.daemonPid()!;
    Deno.kill(daemon, "SIGKILL");
    await pollUntil(() => !alive(daemon), { what: "the daemon to die" });
    Deno.removeSync(`${env.stateDir}/state.json`);
    ok(pids.every(alive), "the groups outlive their daemon");

    const out = await env.ok(["session", "clean"]);
    const lines = out.trim().split("\n").filter((l) => l.startsWith("stopped orphan group"));
    deepEqual(
      lines.sort(),
      [
        `stopped orphan group ${
          rows.find((r) => r.name === "a")!.pid
        } (a of session ${env.session})`,
        `stopped orphan group ${
          rows.find((r) => r.name === "b")!.pid
        } (b of session ${env.session})`,
      ].sort(),
    );
    await pollUntil(() => pids.every((p) => !alive(p)), { what: "the orphans to be gone" });
    ok(alive(keepPid), "a live session's process is left alone");
    equal((await env.cli(["session", "clean"])).stdout.includes("stopped orphan"), false);
  });
});
