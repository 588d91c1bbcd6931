/**
 * Benchmark (prints numbers; not a test): `up` and `down` of stacks, and
 * `status --json` with many processes against few. Cases: 50 processes (a
 * chain of 10 and 40 independent, all ready on a log line) and 300 independent
 * processes (`exec sleep`); `status --json` with 300 processes next to the same
 * call with 5, measured alternately in one run. `--other CHECKOUT` runs each case
 * for another checkout too, interleaved (before/after in one run). The
 * reference, measured in the same run: bash starting the same 300 processes
 * (`sh -c 'exec sleep 1000' &` each) until every one runs `sleep`, i.e. the
 * fork/exec work of the processes themselves with no supervisor at all.
 * Usage: deno run -A bench/stack.ts [--runs N] [--other DIR]
 */

import { parseArgs } from "node:util";
import { median } from "./stats.ts";
import { checkoutCli, checkouts, daemonGone } from "./trees.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string", default: "3" }, other: { type: "string" } },
});
const RUNS = Number(values.runs);
const trees = checkouts(values.other);

function chainYaml(): string {
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

function sleepersYaml(n: number): string {
  const lines = ["processes:"];
  for (let i = 0; i < n; i++) lines.push(`  s${i}:`, "    cmd: exec sleep 1000");
  return lines.join("\n") + "\n";
}

/** A temp home with `yaml` as its config, and the CLI of `tree` run in it. */
async function stackEnv(tree: string, yaml: string) {
  const home = await Deno.makeTempDir({ prefix: "ap-stack-" });
  await Deno.writeTextFile(`${home}/agent-procs.yaml`, yaml);
  const cli = (args: string[]) => checkoutCli(trees[tree], home, "stack", args);
  const close = async () => {
    await cli(["stop-all"]).catch(() => {});
    await daemonGone(home, "stack");
    await Deno.remove(home, { recursive: true }).catch(() => {});
  };
  return { cli, close };
}

const rows = new Map<string, number[]>();
const add = (k: string, v: number) => rows.set(k, [...(rows.get(k) ?? []), v]);

async function upDown(tree: string, label: string, yaml: string): Promise<void> {
  const env = await stackEnv(tree, yaml);
  try {
    const up = await env.cli(["up"]);
    if (!up.out.includes("all processes started")) throw new Error(up.out);
    add(`${tree}: up, ${label}`, up.ms);
    add(`${tree}: down, ${label}`, (await env.cli(["down"])).ms);
  } finally {
    await env.close();
  }
}

/** `status --json` with 5 and with 300 processes, alternately, 9 calls each. */
async function statusScale(tree: string): Promise<void> {
  const small = await stackEnv(tree, sleepersYaml(5));
  const big = await stackEnv(tree, sleepersYaml(300));
  try {
    await small.cli(["up"]);
    await big.cli(["up"]);
    for (let i = 0; i < 9; i++) {
      add(`${tree}: status --json, 5 processes`, (await small.cli(["status", "--json"])).ms);
      add(`${tree}: status --json, 300 processes`, (await big.cli(["status", "--json"])).ms);
    }
  } finally {
    await small.close();
    await big.close();
  }
}

/** bash starting 300 `sh -c 'exec sleep 1000'` in the background until all run `sleep` (ms). */
async function shellReference(): Promise<number> {
  const script = `
pids=()
s=$(date +%s%N)
for i in $(seq 300); do sh -c 'exec sleep 1000' </dev/null >/dev/null 2>&1 & pids+=($!); done
for p in "\${pids[@]}"; do until [ "$(</proc/$p/comm)" = sleep ]; do :; done; done
e=$(date +%s%N)
kill "\${pids[@]}"; wait 2>/dev/null
echo $(( (e - s) / 1000 ))`;
  const o = await new Deno.Command("bash", { args: ["-c", script], stdout: "piped" }).output();
  const us = Number(new TextDecoder().decode(o.stdout).trim());
  if (!o.success || !Number.isFinite(us)) throw new Error("the bash reference failed");
  return us / 1000;
}

for (let r = 0; r < RUNS; r++) {
  add("reference: bash starts 300 sh -c 'exec sleep'", await shellReference());
  for (const t of r % 2 ? Object.keys(trees) : Object.keys(trees).reverse()) {
    await upDown(t, "50 (chain of 10 + 40, ready on a line)", chainYaml());
    await upDown(t, "300 independent", sleepersYaml(300));
    await statusScale(t);
  }
}
console.log(`stacks, medians of ${RUNS} runs (status: of ${RUNS * 9} calls)`);
for (const [k, xs] of rows) {
  const target = k.includes("up, 300")
    ? "  [target <= 600 ms]"
    : k.includes("down, 300")
    ? "  [target <= 300 ms]"
    : "";
  console.log(`${k.padEnd(58)} ${median(xs).toFixed(0).padStart(6)} ms${target}`);
}
for (const t of Object.keys(trees)) {
  const ratio = median(rows.get(`${t}: status --json, 300 processes`)!) /
    median(rows.get(`${t}: status --json, 5 processes`)!);
  console.log(`${t}: status with 300 / with 5 = ${ratio.toFixed(2)}x  [target <= 1.3x]`);
}
