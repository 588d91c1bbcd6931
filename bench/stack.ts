/**
 * Benchmark (prints numbers; not a test): `up` of a 50-process stack (a chain
 * of 10 and 40 independent processes, all ready at once) until "all processes
 * started", then `down`. Usage: deno run -A bench/stack.ts [--runs N]
 */

import { TestEnv } from "../tests/helpers/harness.ts";

const RUNS = Number(Deno.args[Deno.args.indexOf("--runs") + 1] || 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function stackYaml(): string {
  const lines = ["processes:"];
  for (let i = 0; i < 10; i++) {
    lines.push(`  chain${i}:`, "    cmd: echo ready; exec sleep 1000", "    ready: ready");
    if (i > 0) lines.push(`    depends_on: [chain${i - 1}]`);
  }
  for (let i = 0; i < 40; i++) {
    lines.push(`  free${i}:`, "    cmd: echo ready; exec sleep 1000", "    ready: ready");
  }
  return lines.join("\n") + "\n";
}

const ups: number[] = [];
const downs: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const env = await TestEnv.create("bstack");
  try {
    await Deno.writeTextFile(`${env.home}/agent-procs.yaml`, stackYaml());
    let t0 = performance.now();
    const out = await env.ok(["up"]);
    ups.push(performance.now() - t0);
    if (!out.includes("all processes started")) throw new Error(out);
    t0 = performance.now();
    await env.ok(["down"]);
    downs.push(performance.now() - t0);
  } finally {
    await env.cleanup();
  }
}
console.log(
  `up of 50 processes (chain of 10 + 40 independent): median ${median(ups).toFixed(0)} ms ` +
    `(runs: ${ups.map((x) => x.toFixed(0)).join(", ")})  [target <= 3000 ms]`,
);
console.log(
  `down of the same stack: median ${median(downs).toFixed(0)} ms ` +
    `(runs: ${downs.map((x) => x.toFixed(0)).join(", ")})  [target <= 2000 ms]`,
);
