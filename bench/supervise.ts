/**
 * Benchmark (prints numbers; not a test): time from a watched file write to
 * the new process running (its first output line), and the daemon's RSS over
 * a crash loop with `--autorestart always` and no limit.
 * Usage: deno run -A bench/supervise.ts [--runs N] [--loop-secs S]
 */

import { pollUntil, TestEnv } from "../tests/helpers/harness.ts";

const arg = (name: string, def: number) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : def;
};
const RUNS = arg("--runs", 5);
const LOOP_SECS = arg("--loop-secs", 60);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function rssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
}

async function watchLatency(): Promise<void> {
  const env = await TestEnv.create("bwatch");
  try {
    const dir = `${env.home}/app`;
    await Deno.mkdir(dir);
    await Deno.writeTextFile(`${dir}/f.txt`, "0");
    await env.ok(["run", "echo started gen; exec sleep 1000", "--name", "w", "--watch", "f.txt"], {
      cwd: dir,
    });
    await env.ok(["wait", "w", "--until", "started"]);
    const xs: number[] = [];
    for (let i = 1; i <= RUNS; i++) {
      const gen = (await env.proc("w")).generation;
      const t0 = Date.now();
      await Deno.writeTextFile(`${dir}/f.txt`, String(i));
      await pollUntil(async () => (await env.proc("w")).generation > gen, {
        what: "restart",
        timeoutMs: 10_000,
      });
      await env.ok(["wait", "w", "--until", "started"]);
      const lines =
        (await env.ok(["logs", "w", "--since", "restart", "--timestamps", "--tail", "5"])).trim()
          .split("\n").filter((l) => l.includes("started gen"));
      xs.push(Date.parse(lines[lines.length - 1].split(" ")[0]) - t0);
      await new Promise((r) => setTimeout(r, 700)); // let the debounce window close before the next write
    }
    console.log(
      `watch: file write -> new process printing: median ${median(xs)} ms ` +
        `(runs: ${xs.join(", ")})  [target <= 700 ms, 500 of it debounce]`,
    );
  } finally {
    await env.cleanup();
  }
}

async function crashLoop(): Promise<void> {
  const env = await TestEnv.create("bloop");
  try {
    await env.ok([
      "run",
      "echo boom; exit 1",
      "--name",
      "loop",
      "--autorestart",
      "always",
      "--restart-delay",
      "10",
    ]);
    const pid = env.daemonPid()!;
    await new Promise((r) => setTimeout(r, 1000));
    const start = rssMiB(pid);
    const samples: number[] = [];
    const t0 = Date.now();
    while (Date.now() - t0 < LOOP_SECS * 1000) {
      await new Promise((r) => setTimeout(r, 5000));
      samples.push(rssMiB(pid));
    }
    const end = rssMiB(pid);
    const restarts = (await env.proc("loop")).restart_count;
    console.log(
      `crash loop (always, no limit) for ${LOOP_SECS} s: daemon RSS start ${
        start.toFixed(1)
      } MiB, ` +
        `end ${end.toFixed(1)} MiB, max ${
          Math.max(...samples).toFixed(1)
        } MiB; ${restarts} restarts`,
    );
  } finally {
    await env.cleanup();
  }
}

await watchLatency();
await crashLoop();
