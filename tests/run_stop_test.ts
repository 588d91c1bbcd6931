/** End-to-end: run, status, stop, restart, names, env and cwd, process groups. */

import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { alive, pidsWithTag, pollUntil, withEnv } from "./helpers/harness.ts";

Deno.test("run starts a process; status shows it; stop stops it", async () => {
  await withEnv("run", async (env) => {
    const out = await env.ok(["run", "sleep 1000", "--name", "sleeper"]);
    match(out, /^sleeper \(id: p\d+, pid: \d+\)\n$/);
    const row = await env.proc("sleeper");
    equal(row.state, "running");
    ok(row.pid && alive(row.pid));
    equal(row.generation, 1);
    const table = await env.ok(["status"]);
    match(table, /^NAME\s+PID\s+STATE\s+EXIT\s+UPTIME\n/);
    match(table, /sleeper\s+\d+\s+running\s+-\s+\d+s/);
    equal(await env.ok(["stop", "sleeper"]), "stopped sleeper\n");
    const after = await env.proc("sleeper");
    equal(after.state, "stopped");
    equal(after.pid, null);
    ok(!alive(row.pid!));
  });
});

Deno.test("stop ends the whole process group, grandchildren included", async () => {
  await withEnv("grp", async (env) => {
    const tag = `grp-${crypto.randomUUID()}`;
    await env.ok(["run", "sleep 1000", "--name", "untagged"]); // the daemon must not carry the tag
    await env.ok(["run", "sleep 1000 & sleep 1000 & wait", "--name", "fam"], {
      env: { AGENT_PROCS_TAG: tag },
    });
    const pids = await pollUntil(() => {
      const p = pidsWithTag(tag);
      return p.length >= 3 ? p : null;
    }, { what: "shell and two sleeps", seen: () => pidsWithTag(tag) });
    const t0 = performance.now();
    await env.ok(["stop", "fam"]);
    const ms = performance.now() - t0;
    deepStrictEqual(pids.filter(alive), []);
    deepStrictEqual(pidsWithTag(tag), []);
    ok(ms < 5000, `stop took ${ms} ms`);
  });
});

Deno.test("run uses the caller's cwd and environment, plus --cwd, --env and --env-file", async () => {
  await withEnv("env", async (env) => {
    const dir = await Deno.makeTempDir({ dir: env.home });
    const sub = `${dir}/sub`;
    await Deno.mkdir(sub);
    await Deno.writeTextFile(`${dir}/vars.env`, 'FROM_FILE=filevalue\nexport QUOTED="a b"\n');
    await env.ok(["run", "echo cwd=$(pwd) foo=$FOO", "--name", "a"], {
      cwd: dir,
      env: { FOO: "callerfoo" },
    });
    const line = await env.ok(["wait", "a", "--until", "foo="]);
    equal(line, `cwd=${dir} foo=callerfoo\n`);
    await env.ok(
      [
        "run",
        "--name",
        "b",
        "--cwd",
        "sub",
        "--env",
        "X=1",
        "--env",
        "Y=two=2",
        "--env-file",
        "vars.env",
        "--",
        "echo $(pwd) $X $Y $FROM_FILE $QUOTED",
      ],
      { cwd: dir },
    );
    equal(await env.ok(["wait", "b", "--until", "filevalue"]), `${sub} 1 two=2 filevalue a b\n`);
    // Several arguments after -- are words, quoted for sh: the inner script stays one argument.
    await env.ok([
      "run",
      "--name",
      "c",
      "--",
      "sh",
      "-c",
      "echo out1; echo 'two words'; sleep 1000",
    ]);
    equal(await env.ok(["wait", "c", "--until", "two words"]), "two words\n");
    match(await env.ok(["logs", "c"]), /^out1\ntwo words\n$/);
  });
});

Deno.test("a running name is refused; an ended name is reused with a new id and generation", async () => {
  await withEnv("names", async (env) => {
    await env.ok(["run", "sleep 1000", "--name", "x"]);
    const dup = await env.cli(["run", "sleep 1000", "--name", "x"]);
    equal(dup.code, 1);
    match(dup.stderr, /^error: process x is already running/);
    // Racing runs of one name: exactly one wins, the others get the same clear error.
    const racers = await Promise.all(
      [1, 2, 3, 4].map(() => env.cli(["run", "sleep 1000", "--name", "race"])),
    );
    equal(racers.filter((r) => r.code === 0).length, 1, racers.map((r) => r.stderr).join(""));
    for (const r of racers.filter((r) => r.code !== 0)) {
      match(r.stderr, /^error: process race is already running/);
    }
    const first = await env.proc("x");
    // Without --name: the command's first word, with a suffix while that name is live.
    match(await env.ok(["run", "sleep 1000"]), /^sleep \(id: /);
    match(await env.ok(["run", "PORT=1 sleep 1000"]), /^sleep-2 \(id: /);
    await env.ok(["stop", "x"]);
    await env.ok(["run", "echo again; sleep 1000", "--name", "x"]);
    const second = await env.proc("x");
    equal(second.generation, 2);
    ok(second.id !== first.id);
    equal(second.command, "echo again; sleep 1000");
  });
});

Deno.test("invalid names are refused and unknown targets exit 2", async () => {
  await withEnv("bad", async (env) => {
    const bad = await env.cli(["run", "true", "--name", "../x"]);
    equal(bad.code, 1);
    match(bad.stderr, /invalid process name/);
    const badSession = await env.cli(["status", "--session", "../evil"]);
    equal(badSession.code, 1);
    match(badSession.stderr, /invalid session name/);
    for (
      const args of [["stop", "nope"], ["restart", "nope"], ["logs", "nope"], [
        "wait",
        "nope",
        "--exit",
      ], ["status", "nope"]]
    ) {
      const r = await env.cli(args);
      equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      match(r.stderr, /^error: no (process|logs) (named|for) nope/);
    }
    await env.ok(["run", "sleep 1000", "--name", "live"]);
    for (const args of [["stop", "nope"], ["restart", "nope"], ["wait", "nope", "--exit"]]) {
      equal((await env.cli(args)).code, 2, args.join(" "));
    }
    const unknown = await env.cli(["frobnicate"]);
    equal(unknown.code, 1);
    match(unknown.stderr, /unknown command/);
    const flag = await env.cli(["status", "--bogus"]);
    equal(flag.code, 1);
    match(flag.stderr, /unknown option/);
  });
});

Deno.test("restart gives a new pid, id and generation and annotates the log", async () => {
  await withEnv("restart", async (env) => {
    await env.ok(["run", "echo hello; sleep 1000", "--name", "r"]);
    const before = await env.proc("r");
    const out = await env.ok(["restart", "r"]);
    match(out, /^restarted r \(id: p\d+, pid: \d+\)\n$/);
    const after = await env.proc("r");
    ok(after.pid !== before.pid && after.id !== before.id);
    equal(after.generation, before.generation + 1);
    ok(!alive(before.pid!));
    await env.ok(["wait", "r", "--until", "hello"]);
    match(await env.ok(["logs", "r"]), /hello\n\[agent-procs\] Restarted \(manual\)\nhello\n/);
  });
});

Deno.test("exit codes and signals are recorded", async () => {
  await withEnv("exit", async (env) => {
    await env.ok(["run", "exit 3", "--name", "three"]);
    equal(await env.ok(["wait", "three", "--exit"]), "exited with code 3\n");
    const row = await env.proc("three");
    equal(row.state, "exited");
    equal(row.exit_code, 3);
    await env.ok(["run", "kill -9 $$", "--name", "nine"]);
    await env.ok(["wait", "nine", "--exit"]);
    const nine = await env.proc("nine");
    equal(nine.signal, "SIGKILL");
    match(await env.ok(["status"]), /three\s+-\s+exited\s+3/);
  });
});
