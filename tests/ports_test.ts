/**
 * End-to-end tests of the user-wide port space: concurrent `run --proxy` in
 * several sessions get distinct ports, an explicit port leased by another
 * session is refused naming it, and the leases of a daemon killed with
 * SIGKILL (and its processes) become reusable, while a leased process still
 * alive keeps its lease.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { alive, pollUntil, withEnv } from "./helpers/harness.ts";
import { portHolder } from "../src/ports/holder.ts";

const SESSIONS = 4;
const PER_SESSION = 10;

Deno.test("ports: 4 sessions x 10 concurrent runs get 40 distinct free ports; SIGKILLed leases are reusable", async () => {
  await withEnv("ports", async (env) => {
    const sessions = Array.from({ length: SESSIONS }, (_, i) => `${env.session}-s${i}`);
    const runs = sessions.flatMap((s) =>
      Array.from(
        { length: PER_SESSION },
        (_, j) =>
          env.cli(["run", "--proxy", "--name", `p${j}`, "sleep 120"], {
            env: { AGENT_PROCS_SESSION: s },
          }),
      )
    );
    const results = await Promise.all(runs);
    for (const r of results) equal(r.code, 0, `run failed: ${r.stderr}`);
    const rows = await Promise.all(sessions.map(async (s) => {
      const out = await env.ok(["status", "--json"], { env: { AGENT_PROCS_SESSION: s } });
      return JSON.parse(out) as { name: string; port: number; pid: number }[];
    }));
    const ports = rows.flat().map((r) => r.port);
    equal(ports.length, SESSIONS * PER_SESSION);
    equal(new Set(ports).size, ports.length, `ports collide: ${ports.sort()}`);
    for (const p of ports) {
      ok(p >= 4000 && p <= 4999, `port ${p} out of range`);
      // `sleep` never listens: anything on the port would be another program.
      equal(await portHolder(p), null, `port ${p} is in use by something else`);
    }

    // Kill session 0's daemon and 9 of its 10 processes with SIGKILL.
    const victim = sessions[0];
    const daemonPid = Number(Deno.readTextFileSync(`${env.home}/run/${victim}.pid`).trim());
    Deno.kill(daemonPid, "SIGKILL");
    const [keep, ...dead] = rows[0];
    for (const r of dead) Deno.kill(-r.pid, "SIGKILL");
    await pollUntil(() => !alive(daemonPid) && dead.every((r) => !alive(r.pid)), {
      what: "the daemon and 9 processes to die",
    });

    const other = { env: { AGENT_PROCS_SESSION: `${env.session}-new` } };
    // A dead lease's port is free for another session.
    const reuse = await env.cli([
      "run",
      "--name",
      "reuse",
      "--port",
      String(dead[0].port),
      "sleep 120",
    ], other);
    equal(reuse.code, 0, reuse.stderr);
    // The live process keeps its lease: refused, naming the session, process and pid.
    const refused = await env.cli([
      "run",
      "--name",
      "clash",
      "--port",
      String(keep.port),
      "sleep 120",
    ], other);
    equal(refused.code, 1);
    match(
      refused.stderr,
      new RegExp(
        `port ${keep.port} is leased by process ${keep.name} of session ${victim} \\(pid ${keep.pid}\\)`,
      ),
    );
    // A live session's lease is refused too (a port of session 1).
    const live = rows[1][0];
    const refused2 = await env.cli([
      "run",
      "--name",
      "clash2",
      "--port",
      String(live.port),
      "sleep 1",
    ], other);
    equal(refused2.code, 1);
    match(refused2.stderr, new RegExp(`leased by process ${live.name} of session ${sessions[1]}`));
    Deno.kill(-keep.pid, "SIGKILL");
  });
});

Deno.test("ports: a name keeps its port when it is run again", async () => {
  await withEnv("keep", async (env) => {
    await env.ok(["run", "--proxy", "--name", "web", "sleep 120"]);
    const first = (await env.proc("web")).port;
    await env.ok(["stop", "web"]);
    await env.ok(["run", "--proxy", "--name", "web", "sleep 120"]);
    const second = (await env.proc("web")).port;
    deepEqual(second, first);
  });
});

Deno.test("ports: the lease registry is not mistaken for a session", async () => {
  await withEnv("notasession", async (env) => {
    await env.ok(["run", "--proxy", "--name", "web", "sleep 120"]);
    const list = await env.ok(["session", "list"]);
    equal(/^ports\b/m.test(list), false, list);
  });
});
