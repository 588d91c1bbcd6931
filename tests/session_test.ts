/** End-to-end: session resolution, session list and session clean. */

import { equal, match, ok } from "node:assert/strict";
import { alive, pollUntil, withEnv } from "./helpers/harness.ts";

Deno.test("sessions are isolated; session list shows them; clean removes dead ones", async () => {
  await withEnv("sess", async (env) => {
    await env.ok(["run", "sleep 1000", "--name", "a"]);
    await env.ok(["run", "sleep 1000", "--name", "a", "--session", "other"]);
    equal((await env.status()).length, 1);
    const list = await env.ok(["session", "list"]);
    match(list, /^SESSION\s+DAEMON\s+RUNNING\s+TOTAL\s+PROXY\n/);
    match(list, /other\s+running\s+1\s+1/);
    const json = JSON.parse(await env.ok(["session", "list", "--json"])) as {
      session: string;
      daemon: boolean;
    }[];
    ok(json.some((s) => s.session === env.session && s.daemon));
    await env.ok(["stop-all", "--session", "other"]);
    const otherPid = Number(
      await Deno.readTextFile(`${env.home}/run/other.pid`).catch(() => "0"),
    );
    if (otherPid) await pollUntil(() => !alive(otherPid), { what: "other daemon exit" });
    match(await env.ok(["session", "clean"]), /cleaned other/);
    ok(
      await Deno.stat(`${env.home}/state/sessions/other/logs`).then(() => true, () => false),
      "logs kept",
    );
    await env.ok(["session", "clean", "--purge"]);
    ok(await Deno.stat(`${env.home}/state/sessions/other`).then(() => false, () => true), "purged");
    equal((await env.proc("a")).state, "running");
  });
});

Deno.test("the session comes from the config file found from the cwd", async () => {
  await withEnv("cfgsess", async (env) => {
    const dir = `${env.home}/proj/deep`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(
      `${env.home}/proj/agent-procs.yaml`,
      "session: projsess\nprocesses:\n  x:\n    cmd: true\n",
    );
    const envNoSession = { AGENT_PROCS_SESSION: "" };
    await env.ok(["run", "sleep 1000", "--name", "inproj"], { cwd: dir, env: envNoSession });
    const rows = JSON.parse(await env.ok(["status", "--json", "--session", "projsess"])) as {
      name: string;
    }[];
    equal(rows[0]?.name, "inproj");
    await env.ok(["stop-all"], { cwd: dir, env: envNoSession });
  });
});
