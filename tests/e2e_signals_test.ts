/**
 * End-to-end: signals through the real daemon. A config's `stop_signal` and
 * `stop_timeout` (escalation to SIGKILL), SIGINT and SIGHUP to the daemon
 * (every child stopped, dependents first), and a daemon killed with SIGKILL
 * (the next daemon revives the processes whose restart policy asks for it).
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { alive, pidsWithTag, pollUntil, type TestEnv, withEnv } from "./helpers/harness.ts";

/** Writes `yaml` as `agent-procs.yaml` in a fresh project dir and returns the dir. */
async function project(env: TestEnv, yaml: string): Promise<string> {
  const dir = `${env.home}/proj`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/agent-procs.yaml`, yaml);
  return dir;
}

Deno.test("stop_signal is sent first and SIGKILL follows after stop_timeout", async () => {
  await withEnv("stopsig", async (env) => {
    const tag = `stopsig-${crypto.randomUUID()}`;
    // The shell reports which signal it got and ignores it; only SIGKILL ends it.
    const dir = await project(
      env,
      `processes:
  stubborn:
    cmd: trap 'echo got INT' INT; trap 'echo got TERM' TERM; echo up; while true; do sleep 0.1; done
    ready: up
    stop_signal: INT
    stop_timeout: 1500ms
    env: { AGENT_PROCS_TAG: ${tag} }
`,
    );
    await env.ok(["up"], { cwd: dir });
    await pollUntil(() => pidsWithTag(tag).length > 0, { what: "the tagged shell" });
    const began = Date.now();
    equal(await env.ok(["stop", "stubborn"], { cwd: dir }), "stopped stubborn\n");
    const took = Date.now() - began;
    ok(took >= 1400, `stop returned after ${took} ms, before the 1.5 s stop_timeout`);
    ok(took < 9000, `stop took ${took} ms: the default 10 s timeout, not stop_timeout`);
    deepEqual(pidsWithTag(tag), [], "the whole group is gone");
    const row = await env.proc("stubborn");
    deepEqual([row.state, row.signal], ["stopped", "SIGKILL"]);
    const log = await env.ok(["logs", "stubborn"], { cwd: dir });
    match(log, /got INT/);
    ok(!log.includes("got TERM"), `SIGTERM was sent instead of (or besides) stop_signal:\n${log}`);
  });
});

/** A stack db <- api <- web (and a free-standing `solo`) whose shells log their SIGTERM. */
const chain = (tag: string) =>
  (["db", "api", "web", "solo"] as const).map((name, i) => {
    const deps = name === "api" ? "[db]" : name === "web" ? "[api]" : "[]";
    // Each level takes a moment to exit, so a wrong order could not be hidden by equal timing.
    const cmd = `trap 'sleep 0.${i + 1}; echo "stop ${name}" >> ../order.log; exit 0' TERM; ` +
      `echo up; while true; do sleep 0.1; done`;
    return `  ${name}:\n    cmd: ${JSON.stringify(cmd)}\n    ready: up\n    depends_on: ${deps}\n` +
      `    env: { AGENT_PROCS_TAG: ${tag} }\n`;
  }).join("");

for (const signal of ["SIGINT", "SIGHUP"] as const) {
  Deno.test(`${signal} to the daemon stops every child, dependents first, then it exits`, async () => {
    await withEnv(`sig-${signal}`, async (env) => {
      const tag = `sig-${crypto.randomUUID()}`;
      const dir = await project(env, `processes:\n${chain(tag)}`);
      await env.ok(["up"], { cwd: dir });
      await pollUntil(() => pidsWithTag(tag).length >= 4, { what: "four tagged shells" });
      const daemon = env.daemonPid();
      ok(daemon, "a daemon runs the stack");
      Deno.kill(daemon, signal);
      await pollUntil(() => !alive(daemon), { what: `the daemon to exit on ${signal}` });
      deepEqual(pidsWithTag(tag), [], "no child left");
      const order = (await Deno.readTextFile(`${env.home}/order.log`)).trim().split("\n");
      const at = (n: string) => order.indexOf(`stop ${n}`);
      ok(at("web") >= 0 && at("api") >= 0 && at("db") >= 0 && at("solo") >= 0, order.join(" | "));
      ok(at("web") < at("api") && at("api") < at("db"), `not dependents first: ${order}`);
      const states = (await env.status()).map((r) => [r.name, r.state]).sort();
      deepEqual(states, [["api", "stopped"], ["db", "stopped"], ["solo", "stopped"], [
        "web",
        "stopped",
      ]]);
    });
  });
}

Deno.test("after kill -9 of the daemon, the next daemon revives what its policy restarts", async () => {
  await withEnv("revive", async (env) => {
    const tag = `revive-${crypto.randomUUID()}`;
    await env.ok(["run", "sleep 1000", "--name", "untagged"]); // starts the daemon without the tag
    const run = (name: string, extra: string[]) =>
      env.ok(["run", `echo ${name} up; sleep 1000`, "--name", name, ...extra], {
        env: { AGENT_PROCS_TAG: tag },
      });
    await run("keeper", ["--autorestart", "always"]);
    await run("crashy", ["--autorestart", "on-failure"]);
    await run("oneshot", []);
    const before = await env.status();
    const oldPids = pidsWithTag(tag);
    ok(oldPids.length >= 3, `tagged processes: ${oldPids}`);
    const daemon = env.daemonPid();
    ok(daemon, "daemon pid");
    Deno.kill(daemon, "SIGKILL");
    await pollUntil(() => !alive(daemon), { what: "the killed daemon to be gone" });
    // The next command that needs a daemon starts one; it stops the orphans and revives by policy.
    await env.ok(["run", "sleep 1000", "--name", "next"]);
    const revived = await pollUntil(async () => {
      const rows = await env.status();
      const up = rows.filter((r) => ["keeper", "crashy"].includes(r.name) && r.state === "running");
      return up.length === 2 ? rows : null;
    }, { what: "keeper and crashy running again", seen: () => env.status() });
    for (const name of ["keeper", "crashy"]) {
      const was = before.find((r) => r.name === name)!;
      const now = revived.find((r) => r.name === name)!;
      ok(now.pid !== was.pid && now.generation === was.generation + 1, JSON.stringify(now));
      match(await env.ok(["logs", name]), /Restarted \(after daemon crash\)\n/);
    }
    const oneshot = revived.find((r) => r.name === "oneshot")!;
    equal(oneshot.state, "exited", "a process without a policy is not revived");
    ok(oldPids.every((p) => !alive(p)), "the old incarnations' processes are gone");
  });
});
