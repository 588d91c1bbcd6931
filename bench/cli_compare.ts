/**
 * CLI latency of this checkout against another one (prints numbers; not a test):
 * `status --json` and `run` from a warm daemon, calls interleaved between the two
 * builds so machine load hits both alike, next to an empty `deno run` measured in
 * the same run. Usage: deno run -A bench/cli_compare.ts OTHER_CHECKOUT [--calls N]
 * (e.g. a `git worktree add /tmp/before e439235`).
 */

const [other, ...rest] = Deno.args;
if (!other) {
  console.error("usage: deno run -A bench/cli_compare.ts OTHER_CHECKOUT [--calls N]");
  Deno.exit(2);
}
const calls = Number(rest[rest.indexOf("--calls") + 1] ?? 40) || 40;
const trees: Record<string, string> = {
  this: new URL("../main.ts", import.meta.url).pathname,
  other: `${other.replace(/\/$/, "")}/main.ts`,
};
const homes: Record<string, string> = {};
const empty = await Deno.makeTempFile({ suffix: ".ts" });

async function timed(args: string[], env: Record<string, string> = {}): Promise<number> {
  const t0 = performance.now();
  const o = await new Deno.Command(Deno.execPath(), { args, env, stdout: "null", stderr: "piped" })
    .output();
  if (o.code !== 0) throw new Error(new TextDecoder().decode(o.stderr));
  return performance.now() - t0;
}

function cli(tree: string, args: string[]): Promise<number> {
  return timed(["run", "-A", trees[tree], ...args], {
    AGENT_PROCS_HOME: homes[tree],
    AGENT_PROCS_SESSION: "bench",
    NO_COLOR: "1",
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const t of Object.keys(trees)) {
  homes[t] = await Deno.makeTempDir({ prefix: "ap-cmp-" });
  await cli(t, ["run", "-n", "keep", "sleep 600"]);
}
const res: Record<string, { status: number[]; run: number[] }> = {
  this: { status: [], run: [] },
  other: { status: [], run: [] },
};
const ref: number[] = [];
try {
  for (let i = 0; i < calls; i++) {
    ref.push(await timed(["run", empty]));
    for (const t of i % 2 ? ["this", "other"] : ["other", "this"]) {
      res[t].status.push(await cli(t, ["status", "--json"]));
      res[t].run.push(await cli(t, ["run", "-n", `p${i}`, "true"]));
    }
  }
  console.log(`reference: empty deno run median ${median(ref).toFixed(1)} ms (n=${calls})`);
  for (const t of Object.keys(trees)) {
    const r = res[t];
    console.log(
      `${t} (${trees[t]}): status --json median ${median(r.status).toFixed(1)} ms, ` +
        `run (warm daemon) median ${median(r.run).toFixed(1)} ms`,
    );
  }
} finally {
  for (const t of Object.keys(trees)) {
    await cli(t, ["stop-all"]).catch(() => 0);
    await Deno.remove(homes[t], { recursive: true });
  }
  await Deno.remove(empty);
}
