/**
 * End-to-end test harness: each test gets its own temp `AGENT_PROCS_HOME` and
 * session, runs the real CLI (`deno run -A main.ts ...`) as a child process,
 * polls with deadlines (never fixed sleeps), and on cleanup stops the
 * session's daemon and every process group it recorded.
 */

import { fail } from "node:assert/strict";
import { alive as procAlive, procs } from "./procs.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const MAIN = `${ROOT}/main.ts`;

/** Result of one CLI run. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of one CLI run. */
export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  /** Kill the call and fail the test after this long (default {@link CLI_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Variables removed from the child's environment (e.g. `NO_COLOR`). */
  unsetEnv?: string[];
}

/** How long one CLI call may take before the harness kills it and fails the test. */
export const CLI_TIMEOUT_MS = 60_000;

let counter = 0;

/** An isolated agent-procs environment for one test. */
export class TestEnv {
  readonly home: string;
  readonly session: string;
  readonly root = ROOT;

  private constructor(home: string, session: string) {
    this.home = home;
    this.session = session;
  }

  /** Creates a fresh home and session. */
  static async create(label = "t"): Promise<TestEnv> {
    const home = await Deno.makeTempDir({ prefix: "ap-test-" });
    counter++;
    return new TestEnv(home, `${label}-${Deno.pid}-${counter}`);
  }

  /** Environment variables for a CLI child. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...Deno.env.toObject(),
      AGENT_PROCS_HOME: this.home,
      AGENT_PROCS_SESSION: this.session,
      NO_COLOR: "1",
      ...extra,
    };
  }

  /**
   * Runs the CLI with `args` and returns exit code and output. A call that has
   * not exited after `timeoutMs` (default {@link CLI_TIMEOUT_MS}) is killed and
   * fails the test with the output seen so far.
   */
  async cli(args: string[], opts: CliOptions = {}): Promise<RunResult> {
    const childEnv = this.env(opts.env);
    for (const k of opts.unsetEnv ?? []) delete childEnv[k];
    const cmd = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", MAIN, ...args],
      cwd: opts.cwd ?? this.home,
      env: childEnv,
      clearEnv: true,
      stdin: opts.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    });
    const child = cmd.spawn();
    const collect = async (stream: ReadableStream<Uint8Array>, into: string[]) => {
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) into.push(chunk);
    };
    const out: string[] = [];
    const err: string[] = [];
    const pumps = Promise.all([collect(child.stdout, out), collect(child.stderr, err)]);
    if (opts.stdin !== undefined) {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(opts.stdin));
      await w.close();
    }
    const limit = opts.timeoutMs ?? CLI_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), limit));
    const first = await Promise.race([child.status, timedOut]);
    clearTimeout(timer);
    if (first === "timeout") {
      try {
        child.kill("SIGKILL");
      } catch {
        // exited just now
      }
      await child.status;
      await pumps;
      fail(
        `agent-procs ${args.join(" ")} did not exit within ${limit} ms\n` +
          `stdout so far: ${out.join("")}\nstderr so far: ${err.join("")}`,
      );
    }
    await pumps;
    return { code: first.code, stdout: out.join(""), stderr: err.join("") };
  }

  /** Runs the CLI and fails the test unless it exits 0. */
  async ok(args: string[], opts: CliOptions = {}): Promise<string> {
    const r = await this.cli(args, opts);
    if (r.code !== 0) {
      fail(
        `agent-procs ${args.join(" ")} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
      );
    }
    return r.stdout;
  }

  /** Parsed `status --json`. */
  async status(): Promise<StatusRow[]> {
    return JSON.parse(await this.ok(["status", "--json"])) as StatusRow[];
  }

  /** The status row of one process. */
  async proc(name: string): Promise<StatusRow> {
    const row = (await this.status()).find((p) => p.name === name);
    if (!row) fail(`no status row for ${name}`);
    return row;
  }

  /** Path of the session's state dir. */
  get stateDir(): string {
    return `${this.home}/state/sessions/${this.session}`;
  }

  /** Pid of the running daemon, or null. */
  daemonPid(): number | null {
    try {
      const n = Number(Deno.readTextFileSync(`${this.home}/run/${this.session}.pid`).trim());
      return Number.isFinite(n) && n > 0 && alive(n) ? n : null;
    } catch {
      return null;
    }
  }

  /** Process groups recorded as live in the state files of every session under this home. */
  recordedGroups(): number[] {
    const groups: number[] = [];
    for (const dir of listDir(`${this.home}/state/sessions`)) {
      try {
        const state = JSON.parse(
          Deno.readTextFileSync(`${this.home}/state/sessions/${dir}/state.json`),
        ) as {
          records: { phase: { kind: string; pid?: number } }[];
        };
        groups.push(...state.records.map((r) => r.phase.pid ?? 0).filter((p) => p > 0));
      } catch {
        // no state for that session
      }
    }
    return groups;
  }

  /** Pids of every session's daemon under this home. */
  daemonPids(): number[] {
    return listDir(`${this.home}/run`).filter((f) => f.endsWith(".pid")).map((f) => {
      try {
        return Number(Deno.readTextFileSync(`${this.home}/run/${f}`).trim());
      } catch {
        return 0;
      }
    }).filter((p) => p > 0 && alive(p));
  }

  /** Stops every session's daemon and every recorded group under this home, then removes it. */
  async cleanup(): Promise<void> {
    const groups = this.recordedGroups();
    await this.cli(["stop-all"], { timeoutMs: 30_000 }).catch(() => null);
    for (const pid of this.daemonPids()) {
      try {
        Deno.kill(pid, "SIGTERM");
      } catch {
        // gone
      }
      await pollUntil(() => !alive(pid), { what: `daemon ${pid} to exit`, timeoutMs: 15_000 })
        .catch(() => {
          try {
            Deno.kill(pid, "SIGKILL");
          } catch {
            // gone
          }
        });
    }
    for (const g of groups) {
      try {
        Deno.kill(-g, "SIGKILL");
      } catch {
        // gone
      }
    }
    await Deno.remove(this.home, { recursive: true }).catch(() => null);
  }
}

function listDir(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch {
    return [];
  }
}

/** A `status --json` row (the fields tests use). */
export interface StatusRow {
  name: string;
  id: string;
  generation: number;
  pid: number | null;
  state: string;
  ready: boolean | null;
  exit_code: number | null;
  signal: string | null;
  restart_count: number;
  max_restarts: number | null;
  url: string | null;
  port: number | null;
  watched: boolean;
  cwd: string;
  command: string;
  uptime_secs: number | null;
}

/** True when a process exists and is not a zombie (PID 1 in a container may never reap it). */
export function alive(pid: number): boolean {
  return procAlive(pid);
}

/** Polls `fn` until it returns a truthy value or the deadline passes; fails with what was last seen. */
export async function pollUntil<T>(
  fn: () => T | Promise<T>,
  opts: { what: string; timeoutMs?: number; seen?: () => unknown },
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let pause = 5;
  let last: unknown = undefined;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    last = opts.seen ? await opts.seen() : v;
    if (Date.now() > deadline) {
      fail(`timed out waiting for ${opts.what}; last seen: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 100);
  }
}

/** Runs a test body with a fresh env and always cleans up. */
export async function withEnv(label: string, body: (env: TestEnv) => Promise<void>): Promise<void> {
  const env = await TestEnv.create(label);
  try {
    await body(env);
  } finally {
    await env.cleanup();
  }
}

/** Pids of processes whose environment contains `AGENT_PROCS_TAG=<tag>` (to find leftovers). */
export function pidsWithTag(tag: string): number[] {
  return procs.pidsWithEnv(`AGENT_PROCS_TAG=${tag}`).filter((pid) => alive(pid));
}
