/** End-to-end: searching logs — grep, context, since, JSON, timestamps, restarts, rotation. */

import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { pollUntil, withEnv } from "./helpers/harness.ts";

/**
 * `w STREAM LINE FD`: writes LINE to FD, then waits until the daemon has it in `$LOGDIR`'s STREAM
 * files (one more copy than before), so the next line cannot overtake it through the other pipe.
 */
const SYNCED_WRITE = `count() { cat "$LOGDIR"/$1.*.log 2>/dev/null | grep -cxF -- "$2"; }; ` +
  `w() { n=$(count $1 "$2"); echo "$2" >&$3; ` +
  `until [ "$(count $1 "$2")" -gt "$n" ]; do sleep 0.002; done; }`;

const NUMBERS = `${SYNCED_WRITE}; for i in $(seq 1 30); do echo line$i; done; ` +
  "w err 'ERROR boom' 2; echo after; sleep 1000";

Deno.test("--grep, --regex, --context (merged, with --) and --tail counting matches", async () => {
  await withEnv("grep", async (env) => {
    await env.ok(["run", NUMBERS, "--name", "n"], { env: { LOGDIR: `${env.stateDir}/logs/n` } });
    await env.ok(["wait", "n", "--until", "after"]);
    equal(
      await env.ok(["logs", "n", "--grep", "line2"]),
      "line2\nline20\nline21\nline22\nline23\nline24\nline25\nline26\nline27\nline28\nline29\n",
    );
    equal(await env.ok(["logs", "n", "--grep", "line2", "--tail", "2"]), "line28\nline29\n");
    equal(await env.ok(["logs", "n", "--grep", "^line[5-6]$", "--regex"]), "line5\nline6\n");
    equal(
      await env.ok(["logs", "n", "--grep", "^line(5|7|20)$", "--regex", "--context", "1"]),
      "line4\nline5\nline6\nline7\nline8\n--\nline19\nline20\nline21\n",
    );
    // Both streams of one process, in time order.
    match(await env.ok(["logs", "n", "--all", "--tail", "2"]), /^ERROR boom\nafter\n$/);
    for (
      const bad of [["--context", "2"], ["--grep", "(", "--regex"], ["--since", "yesterday-ish"]]
    ) {
      const r = await env.cli(["logs", "n", ...bad]);
      equal(r.code, 1, bad.join(" "));
      match(r.stderr, /^error: /);
    }
  });
});

Deno.test("--json lines and --timestamps; --since with durations and ISO times", async () => {
  await withEnv("json", async (env) => {
    await env.ok(["run", "echo one; echo two >&2; sleep 1000", "--name", "j"]);
    await env.ok(["wait", "j", "--until", "two"]);
    const rows = (await env.ok(["logs", "j", "--all", "--json"])).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    deepStrictEqual(rows.map((r) => [r.process, r.stream, r.text, r.context]), [
      ["j", "stdout", "one", false],
      ["j", "stderr", "two", false],
    ]);
    ok(rows[1].seq > rows[0].seq && !Number.isNaN(Date.parse(rows[0].time)));
    match(await env.ok(["logs", "j", "--timestamps"]), /^\d{4}-\d\d-\d\dT[\d:.]+Z one\n$/);
    equal(await env.ok(["logs", "j", "--since", "1h"]), "one\n");
    const future = new Date(Date.now() + 3_600_000).toISOString();
    equal(await env.ok(["logs", "j", "--since", future]), "");
  });
});

Deno.test("--since restart after manual, automatic and watch restarts; --since start", async () => {
  await withEnv("since", async (env) => {
    const dir = `${env.home}/w`;
    await Deno.mkdir(dir);
    await Deno.writeTextFile(`${dir}/f`, "0");
    await env.ok(["run", 'echo "gen $(cat f)"; sleep 1000', "--name", "s", "--watch", "f"], {
      cwd: dir,
    });
    await env.ok(["wait", "s", "--until", "gen 0"]);
    await env.ok(["restart", "s"]);
    await env.ok(["wait", "s", "--until", "gen 0"]);
    equal(
      await env.ok(["logs", "s", "--since", "restart"]),
      "[agent-procs] Restarted (manual)\ngen 0\n",
    );
    await Deno.writeTextFile(`${dir}/f`, "1");
    await pollUntil(async () => (await env.proc("s")).generation === 3, { what: "watch restart" });
    await env.ok(["wait", "s", "--until", "gen 1"]);
    equal(
      await env.ok(["logs", "s", "--since", "restart"]),
      "[agent-procs] File changed (f), restarted\ngen 1\n",
    );
    equal(
      await env.ok(["logs", "s", "--since", "start"]),
      "[agent-procs] File changed (f), restarted\ngen 1\n",
    );
    // Automatic restarts keep the run: --since start covers all of them.
    await env.ok([
      "run",
      "echo crash; exit 1",
      "--name",
      "c",
      "--autorestart",
      "always",
      "--max-restarts",
      "2",
      "--restart-delay",
      "20",
    ]);
    await pollUntil(async () => (await env.proc("c")).state === "failed", { what: "c failed" });
    equal(
      await env.ok(["logs", "c", "--since", "restart"]),
      "[agent-procs] Restarted (exit 1, attempt 2/2)\ncrash\n[agent-procs] Max restarts (2) exhausted\n",
    );
    equal(
      (await env.ok(["logs", "c", "--since", "start"])).split("\n").filter((l) => l === "crash")
        .length,
      3,
    );
  });
});

Deno.test("reading across rotated segments, and stdout/stderr order across restarts", async () => {
  await withEnv("rot", async (env) => {
    const small = { AGENT_PROCS_LOG_SEGMENT_BYTES: "500", AGENT_PROCS_LOG_KEEP: "50" };
    // The daemon reads the settings from its environment: start it with them.
    // Each line is written only once the previous one is in the daemon's log file, so the true
    // order across the two pipes is known (no timing gap to lose on a loaded machine).
    const cmd =
      `${SYNCED_WRITE}; for i in $(seq 1 60); do w out out$i-padding-padding-padding 1; ` +
      "w err err$i-padding-padding-padding 2; done; sleep 1000";
    await env.ok(["run", cmd, "--name", "r"], {
      env: { ...small, LOGDIR: `${env.stateDir}/logs/r` },
    });
    await env.ok(["wait", "r", "--until", "err60-", "--timeout", "30"]);
    const segs = [...Deno.readDirSync(`${env.stateDir}/logs/r`)].filter((e) =>
      e.name.startsWith("idx.")
    );
    ok(segs.length >= 3, `only ${segs.length} segments`);
    const out = (await env.ok(["logs", "r", "--tail", "1000"])).trim().split("\n");
    deepStrictEqual(
      out,
      Array.from({ length: 60 }, (_, i) => `out${i + 1}-padding-padding-padding`),
    );
    const both = (await env.ok(["logs", "r", "--all", "--tail", "4"])).trim().split("\n").map((l) =>
      l.split("-")[0]
    );
    deepStrictEqual(both, ["out59", "err59", "out60", "err60"]);
    equal(
      (await env.ok(["logs", "r", "--grep", "err30-", "--all", "--context", "1"])).replace(
        /-padding/g,
        "",
      ),
      "out30\nerr30\nout31\n",
    );
    await env.ok(["restart", "r"]);
    // Done when the second run's last line is there too (the first run's is still the last line
    // of stderr until the second run reaches it).
    await pollUntil(
      async () =>
        (await env.ok(["logs", "r", "--stderr", "--grep", "err60-"])).trim().split("\n")
            .length === 2 && (await env.proc("r")).generation === 2,
      {
        what: "second run done",
        timeoutMs: 30_000,
        seen: () => env.ok(["logs", "r", "--stderr", "--tail", "1"]),
      },
    );
    const seq = (await env.ok(["logs", "r", "--all", "--tail", "1000000"])).trim().split("\n").map((
      l,
    ) => l.split("-")[0]);
    equal(seq.length, 241);
    equal(seq[120], "[agent");
    deepStrictEqual(seq.slice(118, 123), ["out60", "err60", "[agent", "out1", "err1"]);
  });
});
