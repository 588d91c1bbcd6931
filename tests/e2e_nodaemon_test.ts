/**
 * End-to-end: commands that answer without a daemon. `status`, `logs`, `wait`
 * and `stop` read the saved state and log files and never start one (checked
 * by watching for the daemon's pid file and socket and by its log, not only
 * at the end); `session clean` stops the orphan process groups a killed
 * session left behind.
 */

import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { alive, pidsWithTag, pollUntil, withEnv } from "./helpers/harness.ts";
import { expectNoDaemonDuring } from "./helpers/no_daemon.ts";

Deno.test("status, logs, wait and stop answer from saved state and never start a daemon", async () => {
  await withEnv("nodaemon", async (env) => {
    await env.ok(["run", "echo first; echo second; echo oops >&2", "--name", "done"]);
    await env.ok(["wait", "done", "--exit"]);
    await env.ok(["run", "echo idle; sleep 1000", "--name", "idle"]);
    await env.ok(["wait", "idle", "--until", "idle"]);
    const daemon = env.daemonPid();
    ok(daemon, "daemon pid");
    await env.ok(["stop", "idle"]);
    await pollUntil(() => !alive(daemon), { what: "the idle daemon to exit" });

    // The check itself fails when a command does start a daemon (positive control).
    await rejects(
      expectNoDaemonDuring(env, () => env.ok(["restart", "idle"])),
      /pid file or socket appeared|daemon log grew|a daemon runs after the call/,
    );
    const second = env.daemonPid();
    ok(second, "restart started a daemon");
    await env.ok(["stop", "idle"]);
    await pollUntil(() => !alive(second), { what: "the control's daemon to exit" });

    await expectNoDaemonDuring(env, async () => {
      const rows = await env.status();
      deepEqual(rows.map((r) => [r.name, r.state]), [["done", "exited"], ["idle", "stopped"]]);
      const byId = await env.ok(["status", rows[1].id, "--json"]);
      deepEqual((JSON.parse(byId) as { name: string }[]).map((r) => r.name), ["idle"]);
      equal(await env.ok(["logs", "done"]), "first\nsecond\n");
      match(await env.ok(["logs", "done", "--stderr"]), /^oops\n/);
      match(await env.ok(["logs", "--all", "--tail", "20"]), /\[idle\] idle\n/);
      equal((await env.cli(["logs", "nope"])).code, 2);
      const exited = await env.cli(["wait", "done", "--exit"]);
      deepEqual([exited.code, exited.stdout], [0, "exited with code 0\n"]);
      const until = await env.cli(["wait", "idle", "--until", "never", "--timeout", "20"]);
      equal(until.code, 1, "a stopped process fails the wait at once");
      match(until.stderr, /idle is not running/);
      equal(await env.ok(["stop", "idle"]), "stopped idle\n");
      equal((await env.cli(["stop", "nope"])).code, 2);
    });
  });
});

Deno.test("session clean stops the orphan process groups of a session whose daemon was killed", async () => {
  await withEnv("sclean", async (env) => {
    const tag = `sclean-${crypto.randomUUID()}`;
    const other = `${env.session}-dead`;
    // The tag goes to the process only (--env), not to the daemon that `run` starts.
    await env.ok([
      "run",
      "sleep 1000 & sleep 1000; wait",
      "--name",
      "orphan",
      "--session",
      other,
      "--env",
      `AGENT_PROCS_TAG=${tag}`,
    ]);
    await pollUntil(() => pidsWithTag(tag).length >= 3, {
      what: "the shell and its two sleeps",
      seen: () => pidsWithTag(tag),
    });
    const daemon = Number(await Deno.readTextFile(`${env.home}/run/${other}.pid`));
    Deno.kill(daemon, "SIGKILL");
    await pollUntil(() => !alive(daemon), { what: "the killed daemon to be gone" });
    ok(pidsWithTag(tag).length >= 3, "the group outlives its killed daemon");
    // This session has a live daemon and is left alone.
    await env.ok(["run", "sleep 1000", "--name", "mine"]);
    const cleaned = await env.ok(["session", "clean"]);
    match(cleaned, new RegExp(`^cleaned ${other}$`, "m"));
    ok(!cleaned.includes(`cleaned ${env.session}\n`), cleaned);
    deepEqual(pidsWithTag(tag), [], "the orphan group is gone");
    const rows = JSON.parse(await env.ok(["status", "--json", "--session", other])) as {
      name: string;
      state: string;
    }[];
    deepEqual(rows.map((r) => [r.name, r.state]), [["orphan", "exited"]]);
    equal((await env.proc("mine")).state, "running");
    for (const f of [`${other}.pid`, `${other}.sock`]) {
      ok(!(await Deno.stat(`${env.home}/run/${f}`).then(() => true, () => false)), `${f} removed`);
    }
  });
});
