/**
 * Tests of the capture pumps on real children: every byte arrives once and in
 * order, through small writes and through full pipes (the read buffer grows
 * from 4 KiB to 64 KiB and is reused), on both streams.
 */

import { equal, ok } from "node:assert/strict";
import { defaultSpec } from "../model.ts";
import { signalChild, signalGroup, spawnChild } from "./child.ts";
import { MAX_READ_BYTES, MIN_READ_BYTES } from "./pipe_chunks.ts";

/** Runs `cmd`, copying each chunk as it arrives (a chunk is valid only during the call). */
async function capture(cmd: string): Promise<{ out: string; err: string; biggest: number }> {
  const spec = defaultSpec({ name: "c", cmd, cwd: "/" }, {
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
  });
  const parts: [Uint8Array[], Uint8Array[]] = [[], []];
  let biggest = 0;
  const r = spawnChild(spec, (fd, chunk) => {
    parts[fd].push(chunk.slice());
    biggest = Math.max(biggest, chunk.length);
  });
  if (!r.ok) throw new Error(r.message);
  const exit = await r.child.done;
  equal(exit.code, 0);
  const text = (xs: Uint8Array[]) => {
    const all = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
    let at = 0;
    for (const x of xs) {
      all.set(x, at);
      at += x.length;
    }
    return new TextDecoder().decode(all);
  };
  return { out: text(parts[0]), err: text(parts[1]), biggest };
}

Deno.test("capture: a burst through full pipes arrives whole, in order, in chunks of at most 64 KiB", async () => {
  const r = await capture("seq 1 200000; echo done >&2");
  const want = Array.from({ length: 200000 }, (_, i) => `${i + 1}\n`).join("");
  equal(r.out.length, want.length);
  ok(r.out === want, "stdout differs from seq's output");
  equal(r.err, "done\n");
  ok(r.biggest <= MAX_READ_BYTES, `a chunk of ${r.biggest} bytes`);
  ok(r.biggest > MIN_READ_BYTES, `reads never grew past ${r.biggest} bytes`);
});

Deno.test("capture: small writes on both streams, interleaved", async () => {
  const r = await capture("for i in 1 2 3; do echo out$i; echo err$i >&2; done; printf tail");
  equal(r.out, "out1\nout2\nout3\ntail");
  equal(r.err, "err1\nerr2\nerr3\n");
});

Deno.test("capture: a listener that throws closes the pipe, so the child is not left blocked", async () => {
  const spec = defaultSpec({ name: "c", cmd: "yes", cwd: "/" }, {
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
  });
  const r = spawnChild(spec, () => {
    throw new Error("listener bug");
  });
  if (!r.ok) throw new Error(r.message);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((res) => timer = setTimeout(() => res("late"), 10_000));
  const first = await Promise.race([r.child.done, late]);
  clearTimeout(timer);
  if (first === "late") signalGroup(r.child.pid, "SIGKILL");
  ok(first !== "late", "yes still runs 10 s after its listener threw");
  // Killed by SIGPIPE, or "Broken pipe" and exit 1 when SIGPIPE is ignored.
  ok(first.signal !== null || first.code !== 0, `yes ended with ${JSON.stringify(first)}`);
});

Deno.test("spawn: each child leads its own process group (pgid = pid) and runs its command", async () => {
  const spec = defaultSpec({ name: "g", cmd: "echo $$; exec sleep 30", cwd: "/" }, {
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
  });
  let out = "";
  const r = spawnChild(spec, (_fd, chunk) => out += new TextDecoder().decode(chunk));
  if (!r.ok) throw new Error(r.message);
  const pid = r.child.pid;
  try {
    const deadline = Date.now() + 5000;
    let stat = "";
    while (Date.now() < deadline) {
      stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
      if (stat.includes("(sleep)") && out.includes("\n")) break;
      await new Promise((res) => setTimeout(res, 5));
    }
    // After "(comm) ": state, ppid, pgrp, session.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    equal(Number(fields[2]), pid, stat);
    equal(Number(fields[3]), pid, stat);
    equal(out.trim(), String(pid), "the shell is the spawned pid itself");
  } finally {
    signalChild(pid, "SIGKILL");
    await r.child.done;
  }
});

Deno.test("spawn: a child signalled the instant it is spawned still ends (before it has its group)", async () => {
  const spec = defaultSpec({ name: "s", cmd: "exec sleep 30", cwd: "/" }, {
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
  });
  for (let i = 0; i < 20; i++) {
    const r = spawnChild(spec, () => {});
    if (!r.ok) throw new Error(r.message);
    ok(signalChild(r.child.pid, "SIGTERM"), `signal ${i} reached the child or its group`);
    const exit = await r.child.done;
    equal(exit.signal, "SIGTERM", `child ${i}: ${JSON.stringify(exit)}`);
  }
});
