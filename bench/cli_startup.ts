/**
 * CLI start-up against Deno's own (prints numbers; not a test): `status --json`
 * and `run` from a warm daemon, interleaved call by call with an empty
 * `deno run` of a one-line script, so machine load hits all alike; each is
 * printed as a median and as a multiple of the empty run's median. Diagnostic
 * rows (the one-line script inside this checkout, where Deno reads deno.json and
 * the lock file; `--version`, which loads the CLI but talks to no daemon) show
 * where the time goes. `--other CHECKOUT` adds the same calls of another checkout
 * (e.g. `git archive <commit> | tar -x -C /tmp/before`) for a before/after in one run.
 * Usage: deno run -A bench/cli_startup.ts [--calls N] [--other DIR]
 */

import { parseArgs } from "node:util";
import { median } from "./stats.ts";
import { checkouts } from "./trees.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { calls: { type: "string", default: "30" }, other: { type: "string" } },
});
const CALLS = Number(values.calls);
const trees = checkouts(values.other);

const tmp = await Deno.makeTempDir({ prefix: "ap-startup-" });
const empty = `${tmp}/empty.ts`;
await Deno.writeTextFile(empty, "console.log(1);\n");
const inside: Record<string, string> = {};
for (const [t, dir] of Object.entries(trees)) {
  inside[t] = `${dir}.bench_empty_${Deno.pid}.ts`;
  await Deno.writeTextFile(inside[t], "console.log(1);\n");
}

async function timed(args: string[], env: Record<string, string> = {}): Promise<number> {
  const t0 = performance.now();
  const o = await new Deno.Command(Deno.execPath(), { args, env, stdout: "null", stderr: "piped" })
    .output();
  if (o.code !== 0) throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(o.stderr)}`);
  return performance.now() - t0;
}

/** The CLI as `deno task ap` runs it. */
function cli(t: string, args: string[]): Promise<number> {
  return timed(["run", "-A", "--unstable-npm-lazy-caching", `${trees[t]}main.ts`, ...args], {
    AGENT_PROCS_HOME: `${tmp}/${t}`,
    AGENT_PROCS_SESSION: "bench",
    NO_COLOR: "1",
  });
}

const rows = new Map<string, number[]>();
const add = (k: string, ms: number) => rows.set(k, [...(rows.get(k) ?? []), ms]);
try {
  for (const t of Object.keys(trees)) {
    await Deno.mkdir(`${tmp}/${t}`);
    await cli(t, ["run", "-n", "keep", "sleep 600"]);
    await cli(t, ["status", "--json"]);
  }
  for (let i = 0; i < CALLS; i++) {
    add("empty deno run (reference)", await timed(["run", empty]));
    for (const t of i % 2 ? Object.keys(trees) : Object.keys(trees).reverse()) {
      add(`${t}: status --json`, await cli(t, ["status", "--json"]));
      add(`${t}: run (warm daemon)`, await cli(t, ["run", "-n", `p${i}`, "true"]));
      add(`${t}: --version`, await cli(t, ["--version"]));
      add(`${t}: empty script inside the checkout`, await timed(["run", inside[t]]));
    }
  }
  const ref = median(rows.get("empty deno run (reference)")!);
  console.log(`CLI start-up, medians of ${CALLS} interleaved calls`);
  for (const [k, xs] of rows) {
    const m = median(xs);
    const target = k.endsWith("status --json")
      ? "  [target <= 1.6x]"
      : k.endsWith("(warm daemon)")
      ? "  [target <= 1.8x]"
      : "";
    console.log(
      `${k.padEnd(44)} ${m.toFixed(1).padStart(6)} ms  ${(m / ref).toFixed(2)}x${target}`,
    );
  }
} finally {
  for (const t of Object.keys(trees)) {
    await cli(t, ["stop-all"]).catch(() => 0);
    await Deno.remove(inside[t]).catch(() => {});
  }
  await Deno.remove(tmp, { recursive: true });
}
