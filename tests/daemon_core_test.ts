/**
 * End-to-end: failures the daemon used to hide. A spawn failure (no `sh` on
 * the child's PATH, a working directory deleted before a restart) is exit 1
 * with the reason; a full log disk shows as `log_error` in `status --json`,
 * in the hello's warnings (a `warning:` line of the next CLI call) and in the
 * daemon log, and the daemon keeps serving.
 */

import { equal, match, ok } from "node:assert/strict";
import { PROTOCOL_VERSION } from "../src/protocol.ts";
import { sessionPaths } from "../src/paths.ts";
import { pollUntil, type StatusRow, TestEnv, withEnv } from "./helpers/harness.ts";

Deno.test("run: a command that cannot be spawned (no sh on its PATH) exits 1 with the reason", async () => {
  await withEnv("nosh", async (env) => {
    const r = await env.cli(["run", "--name", "nosh", "-e", "PATH=/nonexistent", "--", "true"]);
    equal(r.code, 1, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    match(r.stderr, /^error: cannot start: .*sh not found/m);
    equal(r.stdout, "");
    const row = await env.proc("nosh");
    equal(row.pid, null);
    equal(row.exit_code, 127);
  });
});

Deno.test("restart: a working directory deleted meanwhile exits 1 with the reason", async () => {
  await withEnv("nocwd", async (env) => {
    const dir = await Deno.makeTempDir({ dir: env.home, prefix: "gone-" });
    await env.ok(["run", "--name", "svc", "--", "sleep", "1000"], { cwd: dir });
    await env.ok(["stop", "svc"]);
    await Deno.remove(dir);
    const r = await env.cli(["restart", "svc"]);
    equal(r.code, 1, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    match(r.stderr, new RegExp(`^error: cannot start: working directory ${dir}`, "m"));
  });
});

/** The warnings of a raw hello to the session's daemon. */
async function helloWarnings(env: TestEnv): Promise<string[]> {
  const paths = sessionPaths(env.session, {
    runtimeRoot: `${env.home}/run`,
    stateRoot: `${env.home}/state`,
  });
  const conn = await Deno.connect({ transport: "unix", path: paths.socket });
  try {
    await conn.write(new TextEncoder().encode(
      JSON.stringify({ type: "hello", version: PROTOCOL_VERSION }) + "\n",
    ));
    let text = "";
    const dec = new TextDecoder();
    const buf = new Uint8Array(64 * 1024);
    while (!text.includes("\n")) {
      const n = await conn.read(buf);
      if (n === null) break;
      text += dec.decode(buf.subarray(0, n), { stream: true });
    }
    const hello: unknown = JSON.parse(text.slice(0, text.indexOf("\n")));
    if (typeof hello !== "object" || hello === null || !("warnings" in hello)) return [];
    return Array.isArray(hello.warnings) ? hello.warnings.map(String) : [];
  } finally {
    conn.close();
  }
}

async function sh(cmd: string[]): Promise<void> {
  const out = await new Deno.Command(cmd[0], { args: cmd.slice(1), stderr: "piped" }).output();
  if (!out.success) throw new Error(`${cmd.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
}

/** Fills the file system of `path` until a write fails with ENOSPC. */
async function fill(path: string): Promise<void> {
  const f = await Deno.open(path, { create: true, write: true });
  const block = new Uint8Array(4096).fill(120);
  try {
    for (;;) await f.write(block);
  } catch (e) {
    if (!(e instanceof Error) || !/os error 28|No space/.test(e.message)) throw e;
  } finally {
    f.close();
  }
}

Deno.test("a full log disk shows as log_error, a warning: line of the next call (hello warnings) and in the daemon log; the daemon keeps serving", async () => {
  const env = await TestEnv.create("full");
  const logs = `${env.stateDir}/logs`;
  await Deno.mkdir(logs, { recursive: true, mode: 0o700 });
  await sh(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", logs]);
  try {
    await env.ok([
      "run",
      "--name",
      "chatty",
      "--",
      "sh",
      "-c",
      // About 1 KiB and 300 index records per round: a full disk shows within a round or two.
      "while :; do seq 1 300; sleep 0.05; done",
    ]);
    await env.ok(["wait", "chatty", "--until", "300"]);
    await fill(`${logs}/filler`);
    const failing = await pollUntil(async () => {
      const row = (await env.status()).find((p) => p.name === "chatty");
      return row && logError(row) ? row : null;
    }, { what: "log_error on chatty", seen: () => env.status() });
    match(logError(failing) ?? "", /capture failing: .*(No space|os error 28)/);
    equal(failing.state, "running");
    const warnings = await helloWarnings(env);
    ok(warnings.some((w) => /^logs of chatty: capture failing: /.test(w)), String(warnings));
    // The next CLI call prints it on stderr, and still succeeds.
    const status = await env.cli(["status"]);
    equal(status.code, 0, status.stderr);
    match(status.stderr, /^warning: logs of chatty: capture failing: /m);
    const daemonLog = await Deno.readTextFile(`${env.stateDir}/daemon.log`);
    match(daemonLog, /logs of chatty: capture failing: /);
    // The daemon still serves other requests, and capture comes back once there is room (1 MiB:
    // the chatty process needs well over 10 s to fill it again).
    await env.ok(["stop", "chatty"]);
    await Deno.remove(`${logs}/filler`);
    await env.ok(["restart", "chatty"]);
    await pollUntil(async () => {
      const row = (await env.status()).find((p) => p.name === "chatty");
      return row && logError(row) === null && row.state === "running";
    }, { what: "log_error cleared", seen: () => env.status() });
    ok((await helloWarnings(env)).every((w) => !w.startsWith("logs of chatty")));
    equal((await env.cli(["status"])).stderr, "");
  } finally {
    await env.cleanup();
    await sh(["umount", logs]).catch(() => sh(["umount", "-l", logs]));
    await Deno.remove(env.home, { recursive: true }).catch(() => null);
  }
});

/** The `log_error` field of a status row (the harness's row type predates it). */
function logError(row: StatusRow): string | null {
  return "log_error" in row && typeof row.log_error === "string" ? row.log_error : null;
}
