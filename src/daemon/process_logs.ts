/**
 * The supervisor's log side: one open `ProcessLog` per process, the listeners
 * that want its lines or "new output" notices, and whether capture works.
 * A log that cannot be opened or written is reported (through `onProblem`)
 * when it starts failing and when it works again; the process keeps running.
 */

import type { LogLine } from "../logs/writer.ts";
import { messageOf } from "../errors.ts";
import { processLogDir, type SessionPaths } from "../paths.ts";
import type { Clock, LogOpener, ProcessLog } from "./deps.ts";

/** Something that wants every line of a process while subscribed. */
export type LineListener = (name: string, lines: LogLine[]) => void;

/** Where one incarnation's output goes: bound to the log open when it was spawned. */
export interface Capture {
  /** Appends a chunk of output. */
  write(fd: 0 | 1, chunk: Uint8Array): void;
  /** Ends both streams (the child has exited). */
  end(): void;
}

/** How long a log that could not be opened waits before the next attempt (ms). */
const REOPEN_MS = 1000;

interface Entry {
  log: ProcessLog | null;
  /** The error last reported for this log (an open or write failure), or null. */
  problem: string | null;
  /** `lastError` of the log when last looked at: a different object is a new failure. */
  seen: Error | null;
  openedAt: number;
}

/** The logs of every process of a session. */
export class ProcessLogs {
  readonly #entries = new Map<string, Entry>();
  readonly #lineListeners = new Set<{ name: string | null; fn: LineListener }>();
  readonly #activityListeners = new Set<(name: string) => void>();

  /** `onProblem(name, message)` on a new failure, `onProblem(name, null)` once it works again. */
  constructor(
    private readonly paths: SessionPaths,
    private readonly open: LogOpener,
    private readonly clock: Clock,
    private readonly onProblem: (name: string, message: string | null) => void,
  ) {}

  /** The capture of incarnation `generation` of `name` (opens the log now; its files come with its first bytes). */
  capture(name: string, generation: number): Capture {
    const entry = this.#entry(name);
    this.#log(name, entry);
    return {
      write: (fd, chunk) => {
        const log = this.#log(name, entry);
        if (log) this.#check(name, entry, log, log.write(fd, chunk, generation) >= 0);
        if (this.#activityListeners.size) { for (const fn of this.#activityListeners) fn(name); }
      },
      end: () => {
        const log = entry.log;
        if (!log) return;
        log.endStream(0, generation);
        log.endStream(1, generation);
        this.#check(name, entry, log, false);
      },
    };
  }

  /** Writes whole lines to the `browser` stream of `name` (console entries a page sent). */
  browser(name: string, texts: string[], generation: number): void {
    const entry = this.#entry(name);
    const log = this.#log(name, entry);
    if (!log || !texts.length) return;
    const bytes = new TextEncoder().encode(
      texts.map((t) => t.replaceAll("\n", " ") + "\n").join(""),
    );
    this.#check(name, entry, log, log.write(2, bytes, generation) >= 0);
    for (const fn of this.#activityListeners) fn(name);
  }

  /** Writes a supervisor annotation into the log of `name`. */
  annotate(name: string, text: string, generation: number): void {
    const entry = this.#entry(name);
    const log = this.#log(name, entry);
    if (log) {
      log.annotate(text, generation);
      this.#check(name, entry, log, true);
    }
    for (const fn of this.#activityListeners) fn(name);
  }

  /** Why capture of `name` fails now, or null. */
  problem(name: string): string | null {
    return this.#entries.get(name)?.problem ?? null;
  }

  /** Every failing capture, as [name, message]. */
  problems(): [string, string][] {
    const out: [string, string][] = [];
    for (const [name, e] of this.#entries) if (e.problem !== null) out.push([name, e.problem]);
    return out;
  }

  /** Sequence number the next line of `name` will get (0 when it has no log yet). */
  nextSeq(name: string): number {
    return this.#entries.get(name)?.log?.nextSeq ?? 0;
  }

  /** Subscribes to lines of one process (or all, with name null). Returns an unsubscribe. */
  onLines(name: string | null, fn: LineListener): () => void {
    const entry = { name, fn };
    this.#lineListeners.add(entry);
    this.#refreshInterest();
    return () => {
      this.#lineListeners.delete(entry);
      this.#refreshInterest();
    };
  }

  /** Subscribes to "new output" notices (one call per chunk, nothing decoded). */
  onActivity(fn: (name: string) => void): () => void {
    this.#activityListeners.add(fn);
    return () => this.#activityListeners.delete(fn);
  }

  /** Closes and drops the log of a forgotten process. */
  forget(name: string): void {
    this.#entries.get(name)?.log?.close();
    this.#entries.delete(name);
  }

  /** Closes every log (daemon exit). */
  close(): void {
    for (const e of this.#entries.values()) e.log?.close();
    this.#entries.clear();
  }

  #entry(name: string): Entry {
    let e = this.#entries.get(name);
    if (!e) {
      e = { log: null, problem: null, seen: null, openedAt: -Infinity };
      this.#entries.set(name, e);
    }
    return e;
  }

  /** The open log of an entry, opening it (again, at most once a second after a failure). */
  #log(name: string, e: Entry): ProcessLog | null {
    if (e.log || this.#entries.get(name) !== e) return e.log;
    const now = this.clock.now();
    if (now - e.openedAt < REOPEN_MS) return null;
    e.openedAt = now;
    try {
      e.log = this.open(processLogDir(this.paths, name));
    } catch (err) {
      this.#report(name, e, `cannot open the log: ${messageOf(err)}`);
      return null;
    }
    e.seen = e.log.lastError;
    this.#setListener(name, e.log);
    return e.log;
  }

  /** Compares the log's last error with the one seen before: new error, or `wrote` fine. */
  #check(name: string, e: Entry, log: ProcessLog, wrote: boolean): void {
    const err = log.lastError;
    if (err !== e.seen) {
      e.seen = err;
      if (err) return this.#report(name, e, `capture failing: ${err.message}`);
    }
    if (wrote && e.problem !== null) this.#report(name, e, null);
  }

  #report(name: string, e: Entry, problem: string | null): void {
    if (e.problem === problem) return;
    e.problem = problem;
    this.onProblem(name, problem);
  }

  #setListener(name: string, log: ProcessLog): void {
    const wanted = [...this.#lineListeners].some((l) => l.name === null || l.name === name);
    log.onLines = wanted
      ? (lines) => {
        for (const l of [...this.#lineListeners]) {
          if (l.name === null || l.name === name) l.fn(name, lines);
        }
      }
      : null;
  }

  /** Points each open log's `onLines` at the current listeners (a log opened later gets them then). */
  #refreshInterest(): void {
    for (const [name, e] of this.#entries) if (e.log) this.#setListener(name, e.log);
  }
}
