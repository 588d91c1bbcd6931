/**
 * Benchmarks of the core (prints numbers; not a test): CLI latency with a
 * warm daemon, cold `run`, `wait --until` wake-up latency, a 1M-line burst to
 * disk, stopping a process group, and the idle daemon's memory and CPU.
 * Usage: deno run -A bench/core.ts [--runs N] [--idle-secs S]
 */

import { fmt, timed, whenTrue } from "./stats.ts";
import { parseArgs } from "node:util";
import { TestEnv } from "../tests/helpers/harness.ts";
import { LogView } from "../src/logs/log_view.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "7" },
    "idle-secs": { type: "string", default: "30" },
  },
});
const RUNS = Number(values.runs);
const IDLE_SECS = Number(values["idle-secs"]);

function procStat(pid: number): { rssKiB: number; cpuTicks: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const rss = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { rssKiB: rss, cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

async function benchStatus(): Promise<void> {
  const env = await TestEnv.create("bstatus");
  try {
    await env.ok(["run", "sleep 1000", "--name", "warm"]);
    await env.ok(["status", "--json"]);
    const xs = [];
    for (let i = 0; i < RUNS * 3; i++) xs.push(await timed(() => env.ok(["status", "--json"])));
    console.log(`status --json, warm daemon: ${fmt(xs)}  [target <= 30 ms]`);
  } finally {
    await env.cleanup();
  }
}

async function benchColdRun(): Promise<void> {
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    const env = await TestEnv.create("bcold");
    try {
      xs.push(await timed(() => env.ok(["run", "sleep 1000", "--name", "c"])));
    } finally {
      await env.cleanup();
    }
  }
  console.log(`run from no daemon to running process: ${fmt(xs)}  [target <= 250 ms]`);
}

async function benchWait(): Promise<void> {
  const env = await TestEnv.create("bwait");
  try {
    const xs = [];
    for (let i = 0; i < RUNS; i++) {
      const fifo = `${env.home}/fifo${i}`;
      await new Deno.Command("mkfifo", { args: [fifo] }).output();
      await env.ok(["run", `cat ${fifo}; sleep 1000`, "--name", `w${i}`]);
      const waiter = env.cli(["wait", `w${i}`, "--until", "GO"]);
      // Give the waiter time to connect (a benchmark may pause; tests may not).
      await new Promise((r) => setTimeout(r, 500));
      const t0 = performance.now();
      const f = await Deno.open(fifo, { write: true });
      await f.write(new TextEncoder().encode("GO\n"));
      f.close();
      const r = await waiter;
      const t1 = performance.now();
      if (r.code !== 0) throw new Error(r.stderr);
      xs.push(t1 - t0);
    }
    console.log(`wait --until: line written -> wait exited: ${fmt(xs)}  [target <= 10 ms]`);
  } finally {
    await env.cleanup();
  }
}

function dirBytes(dir: string, prefix: string): number {
  let n = 0;
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.startsWith(prefix)) n += Deno.statSync(`${dir}/${e.name}`).size;
    }
  } catch {
    // not yet
  }
  return n;
}

/** Sequence after the last indexed line of the log in `dir` (0 when there is none yet). */
function indexedEnd(dir: string): number {
  const view = LogView.open(dir);
  try {
    return view.endSeq;
  } finally {
    view.close();
  }
}

async function benchBurst(): Promise<void> {
  const xs = [];
  const expected = 6888896; // bytes of `seq 1 1000000`
  for (let i = 0; i < Math.min(RUNS, 5); i++) {
    const env = await TestEnv.create("bburst");
    try {
      await env.ok(["run", "sleep 1000", "--name", "warmup"]);
      const dir = `${env.stateDir}/logs/burst`;
      const t0 = performance.now();
      await env.ok(["run", "seq 1 1000000", "--name", "burst"]);
      const t1 = await whenTrue(
        () => dirBytes(dir, "out.") >= expected && indexedEnd(dir) >= 1_000_001,
        30_000,
        "burst on disk",
      );
      xs.push(t1 - t0);
      const tail = await env.ok(["logs", "burst", "--tail", "1"]);
      if (tail !== "1000000\n") throw new Error(`tail is ${tail}`);
    } finally {
      await env.cleanup();
    }
  }
  console.log(
    `1,000,000-line burst fully on disk (from run call): ${fmt(xs)}  [target <= 1000 ms; ` +
      `bench/burst.ts compares it with a raw seq > file]`,
  );
}

async function benchStop(): Promise<void> {
  const env = await TestEnv.create("bstop");
  try {
    await env.ok(["run", "sleep 1000", "--name", "keep"]);
    const xs = [];
    for (let i = 0; i < RUNS; i++) {
      await env.ok(["run", "bash -c 'sleep 1000 & sleep 1000 & wait'", "--name", `g${i}`]);
      xs.push(await timed(() => env.ok(["stop", `g${i}`])));
    }
    console.log(
      `stop of bash -c 'sleep 1000 & sleep 1000 & wait' (CLI call): ${fmt(xs)}  [target <= 200 ms]`,
    );
  } finally {
    await env.cleanup();
  }
}

async function benchIdle(): Promise<void> {
  const env = await TestEnv.create("bidle");
  try {
    for (let i = 0; i < 10; i++) await env.ok(["run", "sleep 100000", "--name", `s${i}`]);
    const pid = env.daemonPid()!;
    await new Promise((r) => setTimeout(r, 1000));
    const a = procStat(pid);
    await new Promise((r) => setTimeout(r, IDLE_SECS * 1000));
    const b = procStat(pid);
    const tick = 10; // ms per clock tick (USER_HZ = 100)
    console.log(
      `idle daemon, 10 sleeping children: RSS ${
        (b.rssKiB / 1024).toFixed(1)
      } MiB [target <= 60]; ` +
        `CPU ${(b.cpuTicks - a.cpuTicks) * tick} ms over ${IDLE_SECS} s [target < 20 ms per 30 s]`,
    );
  } finally {
    await env.cleanup();
  }
}

await benchStatus();
await benchColdRun();
await benchWait();
await benchBurst();
await benchStop();
await benchIdle();
