/** End-to-end: daemon lifecycle, concurrency, crash recovery, protocol robustness. */

import { PROTOCOL_VERSION } from "../src/protocol.ts";
import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { alive, pidsWithTag, pollUntil, withEnv } from "./helpers/harness.ts";
import { procs } from "./helpers/procs.ts";

function daemonsOf(session: string): number[] {
  return procs.pidsWithArgs(["__daemon", session]);
}

Deno.test("20 concurrent runs on a fresh session start one daemon and 20 processes", async () => {
  await withEnv("conc", async (env) => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => env.cli(["run", "sleep 1000", "--name", `s${i}`])),
    );
    for (const r of results) equal(r.code, 0, r.stderr);
    const rows = await env.status();
    equal(rows.length, 20);
    ok(rows.every((r) => r.state === "running"));
    deepStrictEqual(daemonsOf(env.session).length, 1);
  });
});

Deno.test("the daemon exits after stop-all and status still shows the final states", async () => {
  await withEnv("idle", async (env) => {
    await env.ok(["run", "sleep 1000", "--name", "a"]);
    await env.ok(["run", "exit 4", "--name", "b"]);
    const pid = await pollUntil(() => env.daemonPid(), { what: "daemon pid" });
    equal(await env.ok(["stop-all"]), "all processes stopped\n");
    await pollUntil(() => !alive(pid), { what: "daemon to exit after stop-all" });
    const rows = await env.status();
    deepStrictEqual(rows.map((r) => [r.name, r.state]), [["a", "stopped"], ["b", "exited"]]);
    equal(rows[1].exit_code, 4);
    // restart works from saved state: a new daemon starts the process again.
    match(await env.ok(["restart", "a"]), /^restarted a/);
    equal((await env.proc("a")).state, "running");
    ok(env.daemonPid() !== pid);
  });
});

Deno.test("after kill -9 of the daemon, the next command leaves no process group alive", async () => {
  await withEnv("crash", async (env) => {
    const tag = `crash-${crypto.randomUUID()}`;
    await env.ok(["run", "sleep 1000", "--name", "untagged"]);
    await env.ok(["run", "sleep 1000 & sleep 1000; wait", "--name", "orphan"], {
      env: { AGENT_PROCS_TAG: tag },
    });
    await env.ok(["run", "trap '' TERM; sleep 1000", "--name", "stubborn"], {
      env: { AGENT_PROCS_TAG: tag },
    });
    await pollUntil(() => pidsWithTag(tag).length >= 4, {
      what: "children",
      seen: () => pidsWithTag(tag),
    });
    const pid = env.daemonPid()!;
    Deno.kill(pid, "SIGKILL");
    await pollUntil(() => !alive(pid), { what: "daemon gone" });
    ok(pidsWithTag(tag).length >= 4, "children survive the daemon until someone cleans up");
    const rows = await env.status();
    deepStrictEqual(pidsWithTag(tag), []);
    ok(rows.every((r) => r.state === "exited"), JSON.stringify(rows));
  });
});

Deno.test("SIGTERM to the daemon stops every child before it exits", async () => {
  await withEnv("term", async (env) => {
    const tag = `term-${crypto.randomUUID()}`;
    await env.ok(["run", "sleep 1000", "--name", "untagged"]);
    await env.ok(["run", "sleep 1000", "--name", "a"], { env: { AGENT_PROCS_TAG: tag } });
    await env.ok(["run", "sleep 1000", "--name", "b"], { env: { AGENT_PROCS_TAG: tag } });
    const pid = env.daemonPid()!;
    Deno.kill(pid, "SIGTERM");
    await pollUntil(() => !alive(pid), { what: "daemon exit" });
    deepStrictEqual(pidsWithTag(tag), []);
    deepStrictEqual((await env.status()).map((r) => r.state), ["stopped", "stopped", "stopped"]);
  });
});

async function rawExchange(socket: string, bytes: Uint8Array): Promise<string> {
  const conn = await Deno.connect({ transport: "unix", path: socket });
  try {
    let off = 0;
    while (off < bytes.length) {
      const n = await conn.write(bytes.subarray(off)).catch(() => 0);
      if (n === 0) break;
      off += n;
    }
    // Read until the daemon closes the connection (it always does after an error).
    const chunks: string[] = [];
    const buf = new Uint8Array(65536);
    const dec = new TextDecoder();
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (!n) break;
      chunks.push(dec.decode(buf.subarray(0, n)));
    }
    return chunks.join("");
  } finally {
    try {
      conn.close();
    } catch {
      // closed by the daemon
    }
  }
}

Deno.test("garbage, bad versions and oversized messages leave the daemon answering", async () => {
  await withEnv("garbage", async (env) => {
    await env.ok(["run", "sleep 1000", "--name", "keep"]);
    const socket = `${env.home}/run/${env.session}.sock`;
    const enc = new TextEncoder();
    match(await rawExchange(socket, enc.encode("not json\n")), /"type":"error".*malformed JSON/);
    match(
      await rawExchange(socket, enc.encode('{"type":"hello","version":999}\n')),
      /version mismatch: .*stop that daemon with `kill \d+`/,
    );
    match(
      await rawExchange(
        socket,
        enc.encode(`{"type":"hello","version":${PROTOCOL_VERSION}}\n{"type":"nope"}\n`),
      ),
      /unknown request type/,
    );
    match(
      await rawExchange(
        socket,
        enc.encode(
          `{"type":"hello","version":${PROTOCOL_VERSION}}\n{"type":"run","spec":{"name":1}}\n`,
        ),
      ),
      /"type":"error"/,
    );
    match(await rawExchange(socket, new Uint8Array([0xff, 0xfe, 0x00, 0x0a])), /"type":"error"/);
    const big = new Uint8Array(9 * 1024 * 1024).fill(0x61);
    match(await rawExchange(socket, big), /larger than/);
    // A client that connects and leaves without a word.
    (await Deno.connect({ transport: "unix", path: socket })).close();
    equal((await env.proc("keep")).state, "running");
  });
});

Deno.test("runtime files are private: socket 0600, runtime dir 0700, logs not world-readable", async () => {
  await withEnv("perm", async (env) => {
    await env.ok(["run", "echo hi; sleep 1000", "--name", "p"]);
    await env.ok(["wait", "p", "--until", "hi"]);
    equal(Deno.statSync(`${env.home}/run`).mode! & 0o777, 0o700);
    equal(Deno.statSync(`${env.home}/run/${env.session}.sock`).mode! & 0o777, 0o600);
    for (const e of Deno.readDirSync(`${env.stateDir}/logs/p`)) {
      equal(Deno.statSync(`${env.stateDir}/logs/p/${e.name}`).mode! & 0o077, 0, e.name);
    }
    // A world-writable runtime dir is refused with a reason.
    await Deno.chmod(`${env.home}/run`, 0o777);
    try {
      const r = await env.cli(["run", "true", "--name", "q", "--session", "other"]);
      equal(r.code, 1);
      match(r.stderr, /refusing to use .*open to others/);
    } finally {
      await Deno.chmod(`${env.home}/run`, 0o700); // so cleanup's stop-all is not refused
    }
  });
});
