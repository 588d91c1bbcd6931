/**
 * Benchmark (prints numbers; not a test): does the control plane answer
 * while processes flood their output? For each flood, `status --json`
 * latency (p50/p99/max over 20 sequential CLI calls), the same request sent
 * straight to the daemon's socket (the daemon's share, without the CLI's
 * start-up, which competes for CPU with the flood), `wait --until` on
 * another process (line written -> wait exited), and `stop` of the flooders.
 * A first row without a flood is the baseline of the same machine.
 * Floods: (a) `yes`; (b) four processes printing 100-byte lines as fast as
 * they can; (c) one endless line without a newline (100 MB pieces of `x`).
 * Then the log bytes on disk during and after 20 s of `yes` with the default
 * settings, against the cap (50 MiB x 5 segments x 2 streams).
 * Targets: status p99 <= 100 ms, wait <= 50 ms, disk <= cap + 10 %.
 * Usage: deno run -A bench/flood.ts [--calls N] [--disk-secs S]
 */

import { parseArgs } from "node:util";
import { pollUntil, TestEnv } from "../tests/helpers/harness.ts";
import { PROTOCOL_VERSION } from "../src/protocol.ts";
import { dirBytes } from "../tests/helpers/disk.ts";
import { timed } from "./stats.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    calls: { type: "string", default: "20" },
    "disk-secs": { type: "string", default: "20" },
  },
});
const CALLS = Number(values.calls);
const DISK_SECS = Number(values["disk-secs"]);
const CAP = 50 * 1024 * 1024 * 5 * 2;
const WAITS = 3;

const LINE100 = `yes "$(printf '%099d' 0)"`; // 99 digits + newline
const FLOODS: { label: string; cmds: string[] }[] = [
  { label: "(baseline) no flood", cmds: [] },
  { label: "(a) yes", cmds: ["yes"] },
  { label: "(b) 4 x 100-byte lines", cmds: [LINE100, LINE100, LINE100, LINE100] },
  {
    label: "(c) endless line, no newline",
    cmds: [`while :; do head -c 100000000 /dev/zero | tr '\\0' x; done`],
  },
];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** One `status` request straight over the daemon's socket (hello, request, two reply lines): ms. */
async function rawStatus(env: TestEnv): Promise<number> {
  const t0 = performance.now();
  const conn = await Deno.connect({
    transport: "unix",
    path: `${env.home}/run/${env.session}.sock`,
  });
  try {
    const req = [{ type: "hello", version: PROTOCOL_VERSION }, { type: "status" }];
    await conn.write(new TextEncoder().encode(req.map((m) => JSON.stringify(m) + "\n").join("")));
    const buf = new Uint8Array(1 << 16);
    let newlines = 0;
    while (newlines < 2) {
      const n = await conn.read(buf);
      if (n === null) throw new Error("daemon closed the connection");
      for (let i = 0; i < n; i++) if (buf[i] === 10) newlines++;
    }
  } finally {
    conn.close();
  }
  return performance.now() - t0;
}

/** `wait --until GO` on a process that prints GO when its fifo is written: ms from write to exit. */
async function waitLatency(env: TestEnv, name: string): Promise<number> {
  const fifo = `${env.home}/${name}.fifo`;
  await new Deno.Command("mkfifo", { args: [fifo] }).output();
  await env.ok(["run", `cat ${fifo}; sleep 1000`, "--name", name]);
  const waiter = env.cli(["wait", name, "--until", "GO", "--timeout", "30"]);
  // Give the waiter time to connect (a benchmark may pause; tests may not).
  await new Promise((r) => setTimeout(r, 1000));
  const t0 = performance.now();
  const f = await Deno.open(fifo, { write: true });
  await f.write(new TextEncoder().encode("GO\n"));
  f.close();
  const r = await waiter;
  const ms = performance.now() - t0;
  if (r.code !== 0) throw new Error(`wait failed: ${r.stderr}`);
  return ms;
}

async function flood(label: string, cmds: string[]): Promise<void> {
  const env = await TestEnv.create("bflood");
  try {
    await env.ok(["run", "sleep 1000", "--name", "warm"]);
    const names = cmds.map((_, i) => `f${i}`);
    for (let i = 0; i < cmds.length; i++) await env.ok(["run", cmds[i], "--name", names[i]]);
    // Let the flood fill the pipes and the first segments.
    await pollUntil(() => names.every((n) => dirBytes(`${env.stateDir}/logs/${n}`) > 1 << 20), {
      what: "the flood to reach the logs",
      timeoutMs: 10_000,
    });
    const xs: number[] = [];
    for (let i = 0; i < CALLS; i++) xs.push(await timed(() => env.ok(["status", "--json"])));
    const raw: number[] = [];
    for (let i = 0; i < CALLS * 5; i++) raw.push(await rawStatus(env));
    const waits: number[] = [];
    for (let i = 0; i < WAITS; i++) waits.push(await waitLatency(env, `other${i}`));
    const stop = names.length ? await timed(() => env.ok(["stop", ...names])) : 0;
    const stats = (v: number[]) =>
      `p50 ${pct(v, 50).toFixed(1)} ms, p99 ${pct(v, 99).toFixed(1)} ms, max ${
        Math.max(...v).toFixed(1)
      } ms (n=${v.length})`;
    console.log(
      `${label}: status (CLI) ${stats(xs)} [target p99 <= 100]; ` +
        `daemon socket round trip ${stats(raw)}; wait --until median ${
          pct(waits, 50).toFixed(0)
        } ms, max ${Math.max(...waits).toFixed(0)} ms (n=${WAITS}) [target <= 50]; ` +
        `stop ${stop.toFixed(0)} ms`,
    );
  } finally {
    await env.cleanup();
  }
}

async function diskAfterYes(): Promise<void> {
  const env = await TestEnv.create("bdisk");
  try {
    await env.ok(["run", "yes", "--name", "y"]);
    const dir = `${env.stateDir}/logs/y`;
    const end = Date.now() + DISK_SECS * 1000;
    let peak = 0;
    while (Date.now() < end) {
      peak = Math.max(peak, dirBytes(dir));
      await new Promise((r) => setTimeout(r, 100));
    }
    const during = dirBytes(dir);
    await env.ok(["stop", "y"]);
    const after = dirBytes(dir);
    const tail = await env.ok(["logs", "y", "--tail", "1"]);
    const mb = (n: number) => (n / 1e6).toFixed(0);
    console.log(
      `log on disk, ${DISK_SECS} s of yes (default settings): ${mb(during)} MB at the end, ` +
        `peak ${mb(peak)} MB (sampled every 100 ms), ${mb(after)} MB after stop; cap ${
          mb(CAP)
        } MB ` +
        `(+10 % = ${mb(CAP * 1.1)}) [${Math.max(peak, after) <= CAP * 1.1 ? "within" : "OVER"}]; ` +
        `tail ${JSON.stringify(tail.trim().split("\n").pop())}`,
    );
  } finally {
    await env.cleanup();
  }
}

for (const f of FLOODS) await flood(f.label, f.cmds);
await diskAfterYes();
