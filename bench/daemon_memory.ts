/**
 * The daemon's memory against Deno's own (prints numbers; not a test): RSS of
 * the daemon with 10 and with 300 sleeping processes (`up` of a stack of
 * `exec sleep`), next to an empty `deno run` that waits forever, measured in
 * the same rounds; the per-process cost is (RSS(300) − RSS(10)) / 290.
 * `--other CHECKOUT` measures another checkout in the same rounds (e.g.
 * `git archive <commit> | tar -x -C /tmp/before`) for a before/after.
 * Usage: deno run -A bench/daemon_memory.ts [--rounds N] [--settle-ms MS] [--other DIR]
 */

import { parseArgs } from "node:util";
import { median } from "./stats.ts";
import { checkoutCli, checkouts, daemonGone } from "./trees.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "3" },
    "settle-ms": { type: "string", default: "3000" },
    other: { type: "string" },
  },
});
const ROUNDS = Number(values.rounds);
const SETTLE_MS = Number(values["settle-ms"]);
const COUNTS = [10, 300];
const trees = checkouts(values.other);

function rssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS of an empty `deno run` (a script that only keeps a timer) after `SETTLE_MS`. */
async function emptyDeno(dir: string): Promise<number> {
  const file = `${dir}/idle.ts`;
  await Deno.writeTextFile(file, "setInterval(() => {}, 1 << 30);\n");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", file],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await sleep(SETTLE_MS);
    return rssMiB(child.pid);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
}

/** RSS of `tree`'s daemon once `n` sleeping processes are up and `SETTLE_MS` passed. */
async function daemonWith(tree: string, n: number, dir: string): Promise<number> {
  const home = await Deno.makeTempDir({ dir, prefix: "home-" });
  const lines = ["processes:"];
  for (let i = 0; i < n; i++) lines.push(`  s${i}:`, "    cmd: exec sleep 100000");
  await Deno.writeTextFile(`${home}/agent-procs.yaml`, lines.join("\n") + "\n");
  const cli = (args: string[]) => checkoutCli(trees[tree], home, "mem", args);
  try {
    await cli(["up"]);
    await sleep(SETTLE_MS);
    const pid = Number(Deno.readTextFileSync(`${home}/run/mem.pid`).trim());
    return rssMiB(pid);
  } finally {
    await cli(["down"]).catch(() => {});
    // The daemon exits once idle; wait for it so its home can be removed.
    await daemonGone(home, "mem");
  }
}

const dir = await Deno.makeTempDir({ prefix: "ap-mem-" });
const rows = new Map<string, number[]>();
const add = (k: string, v: number) => rows.set(k, [...(rows.get(k) ?? []), v]);
try {
  for (let r = 0; r < ROUNDS; r++) {
    add("empty deno run (reference)", await emptyDeno(dir));
    for (const t of r % 2 ? Object.keys(trees) : Object.keys(trees).reverse()) {
      for (const n of COUNTS) add(`${t}: daemon, ${n} sleeping`, await daemonWith(t, n, dir));
    }
  }
  const ref = median(rows.get("empty deno run (reference)")!);
  console.log(`daemon RSS, medians of ${ROUNDS} rounds (MiB)`);
  for (const [k, xs] of rows) {
    const target = k.endsWith(" 10 sleeping")
      ? "  [target <= 45 MiB]"
      : k.endsWith(" 300 sleeping")
      ? "  [target <= 90 MiB]"
      : "";
    console.log(
      `${k.padEnd(34)} ${median(xs).toFixed(1).padStart(6)} MiB  +${
        (median(xs) - ref).toFixed(1)
      } over the reference${target}`,
    );
  }
  for (const t of Object.keys(trees)) {
    const per = (median(rows.get(`${t}: daemon, 300 sleeping`)!) -
      median(rows.get(`${t}: daemon, 10 sleeping`)!)) * 1024 / 290;
    console.log(`${t}: per further process ${per.toFixed(0)} KiB  [target <= 150 KiB]`);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
