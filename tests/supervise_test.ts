/** End-to-end: restart policies, backoff, annotations, and restarts on file changes. */

import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { procs } from "./helpers/procs.ts";
import { pidsWithTag, pollUntil, type StatusRow, withEnv } from "./helpers/harness.ts";

Deno.test("on-failure restarts a crash but not a clean exit; always restarts both", async () => {
  await withEnv("pol1", async (env) => {
    await env.ok([
      "run",
      "echo run; exit 1",
      "--name",
      "crash",
      "--autorestart",
      "on-failure",
      "--restart-delay",
      "50",
      "--max-restarts",
      "2",
    ]);
    await env.ok([
      "run",
      "echo run; exit 0",
      "--name",
      "clean",
      "--autorestart",
      "on-failure",
      "--restart-delay",
      "50",
    ]);
    await env.ok([
      "run",
      "echo run; exit 0",
      "--name",
      "always",
      "--autorestart",
      "always",
      "--restart-delay",
      "50",
      "--max-restarts",
      "2",
    ]);
    const crash = await pollUntil(async () => {
      const r = await env.proc("crash");
      return r.state === "failed" ? r : null;
    }, { what: "crash to fail", seen: () => env.proc("crash") });
    equal(crash.restart_count, 2);
    const always = await pollUntil(async () => {
      const r = await env.proc("always");
      return r.state === "failed" ? r : null;
    }, { what: "always to fail", seen: () => env.proc("always") });
    equal(always.restart_count, 2);
    const clean = await env.proc("clean");
    equal(clean.state, "exited");
    equal(clean.restart_count, 0);
    const log = await env.ok(["logs", "crash"]);
    equal(
      log,
      "run\n[agent-procs] Restarted (exit 1, attempt 1/2)\nrun\n[agent-procs] Restarted (exit 1, attempt 2/2)\nrun\n[agent-procs] Max restarts (2) exhausted\n",
    );
    match(await env.ok(["status"]), /crash\s+-\s+failed\s+1\s+2\/2/);
  });
});

Deno.test("the restart delay doubles on consecutive crashes", async () => {
  await withEnv("pol2", async (env) => {
    await env.ok([
      "run",
      "echo bye; exit 1",
      "--name",
      "b",
      "--autorestart",
      "always",
      "--restart-delay",
      "150",
      "--max-restarts",
      "3",
    ]);
    await pollUntil(async () => (await env.proc("b")).state === "failed", {
      what: "failed",
      timeoutMs: 15_000,
    });
    // From each incarnation's last line (just before its exit) to the next restart's annotation:
    // at least the delay, which doubles (150, 300, 600 ms). Load can only lengthen these gaps, and
    // a delay that did not double could not reach the later floors.
    const lines = (await env.ok(["logs", "b", "--timestamps"])).trim().split("\n");
    const at = (l: string) => Date.parse(l.split(" ")[0]);
    const gaps: number[] = [];
    lines.forEach((l, i) => {
      if (l.includes("Restarted") && i > 0) gaps.push(at(l) - at(lines[i - 1]));
    });
    equal(gaps.length, 3, lines.join("\n"));
    ok(gaps[0] >= 140 && gaps[1] >= 285 && gaps[2] >= 570, `gaps ${gaps}\n${lines.join("\n")}`);
  });
});

Deno.test("stop disables auto-restart and restart re-enables it with a fresh count", async () => {
  await withEnv("pol3", async (env) => {
    const always = ["--autorestart", "always", "--restart-delay", "50"];
    await env.ok(["run", "sleep 1000", "--name", "s", ...always]);
    await env.ok(["run", "sleep 1000", "--name", "control", ...always]);
    // A crash first, so the count is not 0 when the restart resets it.
    const first = await env.proc("s");
    Deno.kill(first.pid!, "SIGKILL");
    const crashed = await pollUntil(async () => {
      const r = await env.proc("s");
      return r.state === "running" && r.restart_count === 1 ? r : null;
    }, { what: "auto restart after the first kill", seen: () => env.proc("s") });
    await env.ok(["stop", "s"]);
    const stopped = await env.proc("s");
    equal(stopped.state, "stopped");
    // Stays stopped: a control with the same policy, killed now, restarts after the same delay;
    // by then s would have restarted too if stop had not disabled its policy.
    const control = await env.proc("control");
    Deno.kill(control.pid!, "SIGKILL");
    await pollUntil(async () => (await env.proc("control")).generation > control.generation, {
      what: "the control's auto restart",
      seen: () => env.proc("control"),
    });
    const still = await env.proc("s");
    deepStrictEqual([still.state, still.generation], ["stopped", crashed.generation]);
    match(await env.ok(["restart", "s"]), /^restarted s \(id: p\d+, pid: \d+\)\n$/);
    const row = await env.proc("s");
    deepStrictEqual([row.state, row.restart_count], ["running", 0]);
    // It restarts after a crash again, counting from 0.
    Deno.kill(row.pid!, "SIGKILL");
    await pollUntil(async () => {
      const r = await env.proc("s");
      return r.state === "running" && r.pid !== row.pid && r.restart_count === 1;
    }, { what: "auto restart after kill", seen: () => env.proc("s") });
  });
});

/** The process group of `pid`, or null when it is gone (it may exit between listing and reading). */
function groupOf(pid: number): string | null {
  const info = procs.info(pid);
  return info === null ? null : String(info.pgid);
}

Deno.test("rapid crash/stop/restart sequences never leave duplicate processes", async () => {
  await withEnv("pol4", async (env) => {
    const tag = `dup-${crypto.randomUUID()}`;
    await env.ok(["run", "sleep 1000", "--name", "untagged"]);
    await env.ok([
      "run",
      "sleep 0.05; exit 1",
      "--name",
      "flap",
      "--autorestart",
      "always",
      "--restart-delay",
      "10",
    ], {
      env: { AGENT_PROCS_TAG: tag },
    });
    let generation = (await env.proc("flap")).generation;
    for (let i = 0; i < 8; i++) {
      match(await env.ok(["restart", "flap"]), /^restarted flap /, `iteration ${i}`);
      const after = await env.proc("flap");
      ok(after.generation > generation, `iteration ${i}: restart started no new incarnation`);
      generation = after.generation;
      if (i % 3 === 0) {
        equal(await env.ok(["stop", "flap"]), "stopped flap\n", `iteration ${i}`);
        equal((await env.proc("flap")).state, "stopped", `iteration ${i}`);
      }
      const groups = new Set(pidsWithTag(tag).map(groupOf).filter((g) => g !== null));
      ok(groups.size <= 1, `iteration ${i}: ${groups.size} process groups alive`);
    }
    await env.ok(["stop", "flap"]);
    deepStrictEqual(pidsWithTag(tag), []);
  });
});

Deno.test("a watched file change restarts once per burst; ignored and unmatched paths do not", async () => {
  await withEnv("watch1", async (env) => {
    const dir = `${env.home}/app`;
    await Deno.mkdir(`${dir}/src`, { recursive: true });
    await Deno.mkdir(`${dir}/node_modules`);
    await Deno.writeTextFile(`${dir}/src/a.ts`, "1");
    await env.ok([
      "run",
      "echo started; sleep 1000",
      "--name",
      "w",
      "--watch",
      "src/**",
      "--watch-ignore",
      "*.log",
    ], {
      cwd: dir,
    });
    await env.ok(["wait", "w", "--until", "started"]);
    const first = await env.proc("w");
    equal(first.watched, true);
    for (let i = 0; i < 100; i++) await Deno.writeTextFile(`${dir}/src/a.ts`, String(i));
    const second = await pollUntil(async () => {
      const r = await env.proc("w");
      return r.generation === 2 && r.state === "running" ? r : null;
    }, { what: "one watch restart", seen: () => env.proc("w") });
    // Ignored (*.log, node_modules) and unmatched paths: no restart. A control process watching
    // other.ts restarts for the same burst once its debounce has passed; w would have restarted
    // by then too if it had matched any of these paths.
    await env.ok(["run", "sleep 1000", "--name", "control", "--watch", "other.ts"], { cwd: dir });
    // Armed once a write to other.ts restarts it (its watcher may still be starting: write again
    // after 2 s without a restart, longer than the 500 ms debounce a new write would reset).
    let control: StatusRow | null = null;
    for (let attempt = 0; !control; attempt++) {
      ok(attempt < 8, "control never restarted on other.ts");
      await Deno.writeTextFile(`${dir}/other.ts`, String(attempt));
      control = await pollUntil(async () => {
        const r = await env.proc("control");
        return r.generation >= 2 && r.state === "running" ? r : null;
      }, { what: "control's watch restart", timeoutMs: 2000 }).catch(() => null);
    }
    await Deno.writeTextFile(`${dir}/src/debug.log`, "x");
    await Deno.writeTextFile(`${dir}/node_modules/x.ts`, "x");
    await Deno.writeTextFile(`${dir}/other.ts`, "x");
    await pollUntil(async () => (await env.proc("control")).generation > control.generation, {
      what: "the control's watch restart",
      seen: () => env.proc("control"),
    });
    equal((await env.proc("w")).generation, 2, "an ignored or unmatched path restarted w");
    // Then a real change: the generation goes to exactly 3, so nothing in between restarted it.
    await Deno.writeTextFile(`${dir}/src/b.ts`, "new");
    const third = await pollUntil(async () => {
      const r = await env.proc("w");
      return r.generation >= 3 ? r : null;
    }, { what: "restart for src/b.ts", seen: () => env.proc("w") });
    equal(third.generation, 3);
    ok(second.pid !== first.pid);
    const log = await env.ok(["logs", "w"]);
    match(log, /\[agent-procs\] File changed \(src\/a\.ts\), restarted\nstarted\n/);
    match(log, /\[agent-procs\] File changed \(src\/b\.ts\), restarted\n/);
    ok(!log.includes("debug.log") && !log.includes("other.ts"));
  });
});

Deno.test("a watch change revives a failed process, even while another process floods output", async () => {
  await withEnv("watch2", async (env) => {
    const dir = `${env.home}/app`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/ok`, "no");
    // ~20 MB/s of output (a real flood, but bounded so parallel tests keep their disk and CPU).
    await env.ok(["run", `deno run ${env.root}/tests/fixtures/flood.ts 20`, "--name", "flood"], {
      cwd: dir,
    });
    await env.ok(["wait", "flood", "--until", "flood line"]);
    await env.ok(
      [
        "run",
        'test "$(cat ok)" = yes || exit 1; echo healthy; sleep 1000',
        "--name",
        "app",
        "--watch",
        "ok",
        "--autorestart",
        "on-failure",
        "--max-restarts",
        "1",
        "--restart-delay",
        "50",
      ],
      { cwd: dir },
    );
    const failed = await pollUntil(async () => {
      const r = await env.proc("app");
      return r.state === "failed" ? r : null;
    }, { what: "app failed" });
    await Deno.writeTextFile(`${dir}/ok`, "yes");
    await pollUntil(async () => (await env.proc("app")).generation > failed.generation, {
      what: "watch revive",
      seen: () => env.proc("app"),
    });
    await env.ok(["wait", "app", "--until", "healthy", "--timeout", "20"]);
    const row = await env.proc("app");
    equal(row.state, "running");
    equal(row.restart_count, 0);
  });
});

Deno.test("a bad watch glob is reported in the log and status; the process keeps running", async () => {
  await withEnv("watch3", async (env) => {
    await env.ok(["run", "echo up; sleep 1000", "--name", "g", "--watch", "!src/**"]);
    const row = await pollUntil(async () => {
      const r = (await env.status()).find((p) => p.name === "g") as {
        watch_error?: string | null;
        state: string;
      };
      return r?.watch_error ? r : null;
    }, { what: "watch_error in status", seen: () => env.status() });
    equal(row.state, "running");
    match(await env.ok(["status"]), /g\s+\d+\s+running\s+-\s+(\S+\s+)?error/);
    match(await env.ok(["logs", "g"]), /\[agent-procs\] Watch error: .*!src/);
  });
});
