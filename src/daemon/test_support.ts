/**
 * Fakes for in-process tests of the supervisor and its handlers: a clock
 * whose timers fire only when a test advances it, children that print and
 * exit when told (and obey or ignore signals), and a log that keeps lines in
 * memory and can be made to fail. Not part of the program.
 */

import { defaultSpec, type ProcessSpec } from "../model.ts";
import type { LogLine } from "../logs/writer.ts";
import { STREAM_NAMES, type StreamNo } from "../logs/index_format.ts";
import { type SessionPaths, sessionPaths } from "../paths.ts";
import type { Clock, ProcessLog, Signaller, Spawner, SupervisorDeps, TimerId } from "./deps.ts";
import type { ExitInfo } from "./lifecycle.ts";
import { emptyState, type SavedState } from "./state_file.ts";
import { Supervisor } from "./supervisor.ts";

/** A clock that moves only when `advance` is called; timers fire in time order. */
export class FakeClock implements Clock {
  #now: number;
  #next = 1;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = 1_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(id: TimerId | undefined): void {
    if (id !== undefined) this.#timers.delete(id);
  }

  /** Number of timers waiting to fire. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | null = null;
      for (const t of this.#timers) if (t[1].at <= end && (!due || t[1].at < due[1].at)) due = t;
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = Math.max(this.#now, due[1].at);
      due[1].fn();
    }
    this.#now = end;
  }
}

/** One fake child process. */
export class FakeChild {
  /** Signals this child ignores (SIGKILL always works). */
  readonly ignores = new Set<Deno.Signal>();
  exited = false;
  readonly done: Promise<ExitInfo>;
  #resolve: (e: ExitInfo) => void = () => {};

  constructor(
    readonly pid: number,
    readonly spec: ProcessSpec,
    private readonly onChunk: (fd: 0 | 1, chunk: Uint8Array) => void,
  ) {
    this.done = new Promise((r) => this.#resolve = r);
  }

  /** Prints `text` on stdout (fd 0) or stderr (fd 1). */
  print(text: string, fd: 0 | 1 = 0): void {
    this.onChunk(fd, new TextEncoder().encode(text));
  }

  /** Ends the child with this exit (once). */
  exit(code: number | null, signal: string | null = null): void {
    if (this.exited) return;
    this.exited = true;
    this.#resolve({ code, signal });
  }
}

/** A spawner and signaller over fake children. */
export class FakeChildren {
  readonly all: FakeChild[] = [];
  readonly signals: { pid: number; signal: Deno.Signal }[] = [];
  /** When set, the next spawn fails with this message. */
  failNext: string | null = null;
  #nextPid = 5000;

  readonly spawn: Spawner = (spec, onChunk) => {
    if (this.failNext !== null) {
      const message = this.failNext;
      this.failNext = null;
      return { ok: false, message };
    }
    const child = new FakeChild(this.#nextPid++, spec, onChunk);
    this.all.push(child);
    return { ok: true, child: { pid: child.pid, done: child.done } };
  };

  readonly signal: Signaller = (pid, signal) => {
    this.signals.push({ pid, signal });
    const child = this.all.find((c) => c.pid === pid && !c.exited);
    if (!child) return false;
    if (signal === "SIGKILL" || !child.ignores.has(signal)) child.exit(null, signal);
    return true;
  };

  /** The newest child. */
  get last(): FakeChild {
    const c = this.all[this.all.length - 1];
    if (!c) throw new Error("nothing was spawned");
    return c;
  }
}

/** A log kept in memory; set `failWith` to make each write fail with a new error. */
export class FakeLog implements ProcessLog {
  onLines: ((lines: LogLine[]) => void) | null = null;
  readonly lines: LogLine[] = [];
  failWith: string | null = null;
  closed = false;
  #error: Error | null = null;
  #seq = 1;

  get nextSeq(): number {
    return this.#seq;
  }

  get lastError(): Error | null {
    return this.#error;
  }

  write(stream: StreamNo, chunk: Uint8Array, generation: number): number {
    if (this.failWith !== null) {
      this.#error = new Error(this.failWith);
      return 0;
    }
    const texts = new TextDecoder().decode(chunk).split("\n").filter((t) => t !== "");
    return this.#add(texts, stream, generation, false);
  }

  endStream(): void {}

  annotate(text: string, generation: number): void {
    this.#add([text], 0, generation, true);
  }

  close(): void {
    this.closed = true;
  }

  #add(texts: string[], stream: StreamNo, generation: number, annotation: boolean): number {
    const added = texts.map((text): LogLine => ({
      seq: this.#seq++,
      ts: 0,
      stream: STREAM_NAMES[stream],
      generation,
      text,
      annotation,
    }));
    this.lines.push(...added);
    if (added.length && this.onLines) this.onLines(added);
    return added.length;
  }
}

/** A supervisor on fakes, with the fakes and what it logged. */
export interface Rig {
  sup: Supervisor;
  clock: FakeClock;
  children: FakeChildren;
  logs: Map<string, FakeLog>;
  daemonLog: string[];
  paths: SessionPaths;
}

/** A supervisor on a fake clock, fake children and in-memory logs, its state file in `dir`. */
export function rig(
  dir: string,
  saved: SavedState = emptyState(),
  over: Partial<SupervisorDeps> = {},
): Rig {
  const paths = sessionPaths("t", { stateRoot: dir, runtimeRoot: dir });
  Deno.mkdirSync(paths.stateDir, { recursive: true });
  const clock = new FakeClock();
  const children = new FakeChildren();
  const logs = new Map<string, FakeLog>();
  const daemonLog: string[] = [];
  const sup = new Supervisor(paths, saved, {
    clock,
    spawn: children.spawn,
    signal: children.signal,
    openLog: (d) => {
      const log = new FakeLog();
      logs.set(d.slice(d.lastIndexOf("/") + 1), log);
      return log;
    },
    log: (m) => daemonLog.push(m),
    readTail: (name, generation, n) =>
      (logs.get(name)?.lines ?? []).filter((l) => !l.annotation && l.generation === generation)
        .slice(-n).map((l) => l.text),
    findHolder: () => Promise.resolve(null),
    ...over,
  });
  return { sup, clock, children, logs, daemonLog, paths };
}

/** A spec named `name` running `true` in `/`, with overrides. */
export function spec(name: string, over: Partial<ProcessSpec> = {}): ProcessSpec {
  return defaultSpec({ name, cmd: "true", cwd: "/" }, over);
}

/** Waits (event-driven) until `check` gives a value; fails with the records after 2 s. */
export async function reach<T>(sup: Supervisor, check: () => T | undefined, what: string) {
  const ac = new AbortController();
  const guard = setTimeout(() => ac.abort(), 2000);
  try {
    const u = await sup.until(check, { signal: ac.signal });
    if (!u.ok) throw new Error(`never reached: ${what}; records: ${JSON.stringify(sup.list())}`);
    return u.value;
  } finally {
    clearTimeout(guard);
  }
}
