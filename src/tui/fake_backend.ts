/**
 * An in-memory `UiBackend` for tests and the demo: processes with a status
 * row and a full log each; `emit` appends lines (and pushes them to
 * subscribers), `setInfo` changes a status row. Actions are recorded in
 * `calls` and can be made to fail.
 */

import type { ProcessInfo } from "../model.ts";
import type { UiBackend, UiEvent, UiLine } from "./backend.ts";

/** A status row with defaults for everything not given. */
export function fakeInfo(name: string, over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    name,
    id: `p-${name}`,
    generation: 1,
    pid: 1000,
    state: "running",
    ready: null,
    exit_code: null,
    signal: null,
    uptime_secs: 1,
    started_at: new Date(0).toISOString(),
    command: `run ${name}`,
    cwd: "/",
    port: null,
    url: null,
    restart_count: 0,
    max_restarts: null,
    restart_policy: "never",
    watched: false,
    run_generation: 1,
    next_restart_at: null,
    watch_error: null,
    log_error: null,
    last_failure: null,
    crash_loop: false,
    listening: [],
    cpu_percent: null,
    rss_bytes: null,
    stdin: "null",
    awaiting_input: null,
    ...over,
  };
}

/** The fake daemon. */
export class FakeBackend implements UiBackend {
  /** Status rows, in list order. */
  infos: ProcessInfo[] = [];
  /** Every line of every process. */
  logs = new Map<string, UiLine[]>();
  /** Actions and history requests received, e.g. "restart web", "history web 1000 <5". */
  calls: string[] = [];
  /** When set, restart/stop/stopAll reject with this message. */
  failActions: string | null = null;
  /** Largest log kept per process (oldest dropped), to bound the demo's memory. */
  maxLog = 200_000;
  #subs = new Set<(e: UiEvent) => void>();
  #seq = new Map<string, number>();

  /** Adds or replaces a process's status row and pushes the table. */
  setInfo(info: ProcessInfo): void {
    const i = this.infos.findIndex((p) => p.name === info.name);
    if (i < 0) this.infos.push(info);
    else this.infos[i] = info;
    this.#status();
  }

  /** Appends lines to a process's log and pushes them; returns them. */
  emit(
    name: string,
    texts: string[],
    stream: UiLine["stream"] = "stdout",
    annotation = false,
  ): UiLine[] {
    const log = this.logs.get(name) ?? [];
    this.logs.set(name, log);
    let seq = this.#seq.get(name) ?? 0;
    const lines = texts.map((text) => ({ seq: seq++, ts: Date.now(), stream, text, annotation }));
    this.#seq.set(name, seq);
    log.push(...lines);
    if (log.length > this.maxLog * 1.25) log.splice(0, log.length - this.maxLog);
    this.push({ kind: "lines", name, lines });
    return lines;
  }

  /** Tells subscribers the daemon went away. */
  close(reason: string): void {
    this.push({ kind: "closed", reason });
  }

  /** Number of live subscriptions. */
  get subscribers(): number {
    return this.#subs.size;
  }

  subscribe(onEvent: (e: UiEvent) => void): { close(): void } {
    this.#subs.add(onEvent);
    onEvent({ kind: "status", processes: structuredClone(this.infos) });
    return { close: () => this.#subs.delete(onEvent) };
  }

  history(name: string, opts: { limit: number; beforeSeq?: number }): Promise<UiLine[]> {
    this.calls.push(
      `history ${name} ${opts.limit}${opts.beforeSeq !== undefined ? ` <${opts.beforeSeq}` : ""}`,
    );
    const log = this.logs.get(name) ?? [];
    const upTo = opts.beforeSeq === undefined ? log : log.filter((l) => l.seq < opts.beforeSeq!);
    return Promise.resolve(upTo.slice(-opts.limit));
  }

  restart(name: string): Promise<void> {
    return this.#act(`restart ${name}`, () => {
      const p = this.infos.find((x) => x.name === name);
      if (!p) throw new Error(`no process named ${name}`);
      this.emit(name, ["[agent-procs] Restarted (manual)"], "stdout", true);
      this.setInfo({
        ...p,
        state: "running",
        generation: p.generation + 1,
        exit_code: null,
        signal: null,
      });
    });
  }

  stop(name: string): Promise<void> {
    return this.#act(`stop ${name}`, () => {
      const p = this.infos.find((x) => x.name === name);
      if (!p) throw new Error(`no process named ${name}`);
      this.setInfo({ ...p, state: "stopped", pid: null, ready: p.ready === null ? null : false });
    });
  }

  stopAll(): Promise<void> {
    return this.#act("stopAll", () => {
      for (const p of this.infos) {
        if (p.state === "running" || p.state === "restarting") {
          this.setInfo({ ...p, state: "stopped", pid: null });
        }
      }
    });
  }

  send(name: string, text: string): Promise<void> {
    return this.#act(`send ${name} ${text}`, () => {
      const p = this.infos.find((x) => x.name === name);
      if (!p) throw new Error(`no process named ${name}`);
      if (p.stdin !== "pipe") throw new Error(`${name} has no stdin (start it with --stdin)`);
      this.emit(name, [`read ${text}`]);
      this.setInfo({ ...p, awaiting_input: null });
    });
  }

  #act(call: string, fn: () => void): Promise<void> {
    this.calls.push(call);
    if (this.failActions) return Promise.reject(new Error(this.failActions));
    try {
      fn();
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #status(): void {
    this.push({ kind: "status", processes: structuredClone(this.infos) });
  }

  /** Sends any event to the subscribers as is (tests use it for malformed ones). */
  push(e: UiEvent): void {
    for (const fn of this.#subs) fn(e);
  }
}
