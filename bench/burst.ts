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
 * capture after the spawn). Each round runs one burst in a daemon that has
 * run bursts before (warm: its capture code is compiled) and one in a fresh
 * daemon (started by a first `run sleep`, not timed).
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

/** A session of one agent-procs checkout (its main.ts) in its own home. */
class Session {
  constructor(readonly main: string, readonly home: string) {
    Deno.mkdirSync(home, { recursive: true });
  }

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

  /** Stops everything, waits for the daemon to exit (it writes until then), removes the home. */
  async close(): Promise<void> {
    let pid = 0;
    try {
      pid = Number(Deno.readTextFileSync(`${this.home}/run/burst.pid`).trim());
    } catch {
      // no daemon
    }
    await this.cli(["stop-all"]).catch(() => "");
    if (pid > 0) {
      await whenTrue(
        () => {
          try {
            Deno.kill(pid, "SIGCONT");
            return false;
          } catch {
            return true;
          }
        },
        15_000,
        `daemon ${pid} to exit`,
      ).catch(() => Deno.kill(pid, "SIGKILL"));
    }
    await Deno.remove(this.home, { recursive: true });
  }

  /** One burst: ms from the call and from the reply until it is on disk, and the daemon's CPU ms. */
  async burst(name: string): Promise<{ call: number; reply: number; cpu: number }> {
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
    const cpu = this.daemonCpuMs() - cpu0;
    const tail = await this.cli(["logs", name, "--tail", "1"]);
    if (tail !== `${LINES}\n`) throw new Error(`${name}: tail is ${JSON.stringify(tail)}`);
    return { call: t2 - t0, reply: t2 - t1, cpu };
  }
}

/** The times of one checkout, in a warm daemon and in fresh ones. */
class Subject {
  readonly warm = { call: [] as number[], reply: [] as number[], cpu: [] as number[] };
  readonly fresh = { call: [] as number[], reply: [] as number[], cpu: [] as number[] };
  readonly session: Session;
  constructor(readonly label: string, readonly main: string, readonly home: string) {
    this.session = new Session(main, home);
  }

  async round(i: number): Promise<void> {
    const w = await this.session.burst(`b${i}`);
    this.warm.call.push(w.call);
    this.warm.reply.push(w.reply);
    this.warm.cpu.push(w.cpu);
    const s = new Session(this.main, `${this.home}-fresh${i}`);
    try {
      await s.cli(["run", "sleep 1000", "--name", "first"]);
      const f = await s.burst("b");
      this.fresh.call.push(f.call);
      this.fresh.reply.push(f.reply);
      this.fresh.cpu.push(f.cpu);
    } finally {
      await s.close();
    }
  }
}

const tmp = await Deno.makeTempDir({ prefix: "burst-bench-" });
const subjects = [new Subject("this checkout", HERE, `${tmp}/here`)];
if (values.baseline) {
  subjects.push(new Subject("baseline", `${values.baseline}/main.ts`, `${tmp}/base`));
}
try {
  for (const s of subjects) {
    await s.session.cli(["run", "sleep 1000", "--name", "first"]);
    await s.session.burst("warmup");
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
  console.log(`raw seq > file:                   ${fmt(raw)}`);
  console.log(`seq | cat > file:                 ${times(piped)}`);
  console.log(`empty deno run (the CLI's floor): ${times(empty)}`);
  for (const s of subjects) {
    for (const [kind, t] of [["warm daemon", s.warm], ["fresh daemon", s.fresh]] as const) {
      console.log(`${s.label}, ${kind}:`);
      console.log(`  from the call:  ${times(t.call)}  [target <= 5 x raw]`);
      console.log(`  from the reply: ${times(t.reply)}`);
      console.log(`  daemon CPU per burst: median ${median(t.cpu)} ms (10 ms ticks)`);
    }
  }
} finally {
  for (const s of subjects) await s.session.close();
  await Deno.remove(tmp, { recursive: true });
}
