/**
 * Benchmark of a 1,000,000-line burst (issue 19): `seq 1 1000000` run through
 * agent-procs (warm daemon) until every line is on disk and indexed, next to
 * the physical references measured in the same run, interleaved round by
 * round: a raw `seq 1 1000000 > file`, and `seq 1 1000000 | cat > file` (the
 * same bytes through a pipe), each spawned as `sh -c` from here, and an empty
 * `deno run` (the floor of any CLI call, which the time from the call includes). Prints
 * medians and our time as a multiple of the raw one. Target: ≤ 5 × raw.
 *
 * "On disk" is polled every millisecond: the stdout files hold all the bytes
 * and the index's last line is line 1,000,000. Times are from the `run` call
 * (the CLI's start-up included) and from the `run` reply (the daemon's
 * capture after the spawn).
 *
 * `--baseline DIR` also runs another checkout's `main.ts` (e.g. `git archive`
 * of the previous commit) in the same rounds, for a before/after in one run.
 *
 * Usage: deno run -A bench/burst.ts [--rounds N] [--lines N] [--baseline DIR]
 */

import { parseArgs } from "node:util";
import { fmt, median, whenTrue } from "./stats.ts";
import { LogView } from "../src/logs/log_view.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "9" },
    lines: { type: "string", default: "1000000" },
    baseline: { type: "string" },
  },
});
const ROUNDS = Number(values.rounds);
const LINES = Number(values.lines);
const HERE = new URL("../main.ts", import.meta.url).pathname;

/** Bytes `seq 1 N` prints. */
export function seqBytes(n: number): number {
  let bytes = 0;
  for (let digits = 1, lo = 1; lo <= n; digits++, lo *= 10) {
    bytes += (Math.min(n, lo * 10 - 1) - lo + 1) * (digits + 1);
  }
  return bytes;
}

async function sh(cmd: string): Promise<number> {
  const t0 = performance.now();
  const st = await new Deno.Command("sh", { args: ["-c", cmd], stdout: "null" }).spawn().status;
  if (!st.success) throw new Error(`${cmd} failed`);
  return performance.now() - t0;
}

function outBytes(dir: string): number {
  let n = 0;
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.startsWith("out.")) n += Deno.statSync(`${dir}/${e.name}`).size;
    }
  } catch {
    // not created yet
  }
  return n;
}

function indexedEnd(dir: string): number {
  try {
    const view = LogView.open(dir);
    try {
      return view.endSeq;
    } finally {
      view.close();
    }
  } catch {
    return 0;
  }
}

/** One agent-procs installation (a checkout's main.ts) with its own home and session. */
class Subject {
  readonly call: number[] = [];
  readonly reply: number[] = [];
  /** The daemon's CPU time (user + system, ms) over all rounds: capture plus the CLI's requests. */
  cpuMs = 0;
  constructor(readonly label: string, readonly main: string, readonly home: string) {}

  async cli(args: string[]): Promise<string> {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", this.main, ...args],
      env: { AGENT_PROCS_HOME: this.home, AGENT_PROCS_SESSION: "burst", NO_COLOR: "1" },
      cwd: this.home,
      stdin: "null",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (out.code !== 0) {
      throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
    }
    return text;
  }

  /** CPU time the session's daemon has used so far (ms; Linux /proc, 10 ms ticks). */
  daemonCpuMs(): number {
    const pid = Deno.readTextFileSync(`${this.home}/run/burst.pid`).trim();
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }

  async round(i: number): Promise<void> {
    const name = `b${i}`;
    const dir = `${this.home}/state/sessions/burst/logs/${name}`;
    const expected = seqBytes(LINES);
    const cpu0 = this.daemonCpuMs();
    const t0 = performance.now();
    await this.cli(["run", `seq 1 ${LINES}`, "--name", name]);
    const t1 = performance.now();
    const t2 = await whenTrue(
      () => outBytes(dir) >= expected && indexedEnd(dir) >= LINES + 1,
      30_000,
      "the burst on disk",
    );
    this.call.push(t2 - t0);
    this.reply.push(t2 - t1);
    this.cpuMs += this.daemonCpuMs() - cpu0;
    const tail = await this.cli(["logs", name, "--tail", "1"]);
    if (tail !== `${LINES}\n`) throw new Error(`${this.label}: tail is ${JSON.stringify(tail)}`);
  }
}

const tmp = await Deno.makeTempDir({ prefix: "burst-bench-" });
const subjects = [new Subject("this checkout", HERE, `${tmp}/here`)];
if (values.baseline) {
  subjects.push(new Subject("baseline", `${values.baseline}/main.ts`, `${tmp}/base`));
}
try {
  for (const s of subjects) {
    Deno.mkdirSync(s.home);
    await s.cli(["run", "sleep 1000", "--name", "warmup"]);
  }
  Deno.writeTextFileSync(`${tmp}/empty.ts`, "\n");
  const raw: number[] = [];
  const piped: number[] = [];
  const empty: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    raw.push(await sh(`seq 1 ${LINES} > ${tmp}/raw`));
    // Alternate the order so neither subject always runs right after the reference.
    for (const s of i % 2 ? [...subjects].reverse() : subjects) await s.round(i);
    piped.push(await sh(`seq 1 ${LINES} | cat > ${tmp}/pipe`));
    empty.push(await sh(`"${Deno.execPath()}" run --quiet ${tmp}/empty.ts`));
  }
  const r = median(raw);
  const times = (xs: number[]) => `${fmt(xs)} = ${(median(xs) / r).toFixed(1)} x raw`;
  console.log(`${LINES} lines, ${ROUNDS} rounds, interleaved`);
  console.log(`raw seq > file:              ${fmt(raw)}`);
  console.log(`seq | cat > file:            ${times(piped)}`);
  console.log(`empty deno run (the CLI's floor): ${times(empty)}`);
  for (const s of subjects) {
    console.log(`${s.label}, from the call:  ${times(s.call)}  [target <= 5 x raw]`);
    console.log(`${s.label}, from the reply: ${times(s.reply)}`);
    console.log(`${s.label}, daemon CPU per burst: ${(s.cpuMs / ROUNDS).toFixed(1)} ms`);
  }
} finally {
  for (const s of subjects) await s.cli(["stop-all"]).catch(() => "");
  await Deno.remove(tmp, { recursive: true });
}
