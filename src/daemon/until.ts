/**
 * The one waiting primitive of the daemon: "resolve once a check gives a
 * value, or at a deadline, or when a signal aborts", with every subscription
 * and timer released exactly once (`settleWhen`). `Supervisor.until` (state,
 * `untilState`) and `Supervisor.untilLine` (log lines, `untilLineOf`) are
 * built on it, and the waits, follows, settles and readiness checks on those.
 */

import type { LogLine } from "../logs/writer.ts";
import type { Clock } from "./deps.ts";

/** How a wait ended: the check's value, or why not. */
export type Until<T> = { ok: true; value: T } | { ok: false; reason: "timeout" | "aborted" };

/** Runs `check` for a wait: its value ends the wait, and a throw fails it (not the caller). */
export function probe<T>(
  check: () => T | undefined,
  finish: (value: T) => void,
  fail: (error: unknown) => void,
): void {
  let v: T | undefined;
  try {
    v = check();
  } catch (e) {
    return fail(e);
  }
  if (v !== undefined) finish(v);
}

/** Limits of a wait. */
export interface UntilOptions {
  /** Ends the wait with `aborted` (e.g. the client went away). */
  signal?: AbortSignal;
  /** Ends the wait with `timeout` after this many ms; 0 or absent waits for ever. */
  timeoutMs?: number;
}

/**
 * Runs `arm(finish, fail)`, which subscribes to whatever can end the wait and
 * returns the unsubscribers; `finish(value)` may be called at any time, even
 * during `arm`, and `fail(error)` rejects (a check that threw: a bug or an I/O
 * error, never hidden). Resolves on the first of: `finish`, the deadline, the
 * abort.
 */
export function settleWhen<T>(
  clock: Clock,
  opts: UntilOptions,
  arm: (finish: (value: T) => void, fail: (error: unknown) => void) => (() => void)[],
): Promise<Until<T>> {
  return new Promise((resolve, reject) => {
    let done = false;
    let cleanups: (() => void)[] = [];
    const settle = (then: () => void) => {
      if (done) return;
      done = true;
      for (const c of cleanups) c();
      cleanups = [];
      then();
    };
    const end = (u: Until<T>) => settle(() => resolve(u));
    if (opts.signal?.aborted) return end({ ok: false, reason: "aborted" });
    const onAbort = () => end({ ok: false, reason: "aborted" });
    opts.signal?.addEventListener("abort", onAbort);
    cleanups.push(() => opts.signal?.removeEventListener("abort", onAbort));
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      const t = clock.setTimeout(() => end({ ok: false, reason: "timeout" }), opts.timeoutMs);
      cleanups.push(() => clock.clearTimeout(t));
    }
    const offs = arm(
      (value) => end({ ok: true, value }),
      (error) => settle(() => reject(error)),
    );
    if (done) { for (const off of offs) off(); }
    else cleanups.push(...offs);
  });
}

/** What the state and line waits subscribe to (the supervisor). */
export interface WaitSource {
  onChange(fn: () => void): () => void;
  onLines(name: string, fn: (name: string, lines: LogLine[]) => void): () => void;
}

/** Resolves with the first value `check` gives; it runs now and after every change of `source`. */
export function untilState<T>(
  source: WaitSource,
  clock: Clock,
  check: () => T | undefined,
  opts: UntilOptions,
): Promise<Until<T>> {
  return settleWhen<T>(clock, opts, (finish, fail) => {
    const test = () => probe(check, finish, fail);
    const off = source.onChange(test);
    test();
    return [off];
  });
}

/** Options of a line wait. */
export interface LineWaitOptions<T> extends UntilOptions {
  /** Lines printed before the wait, read right after subscribing (a disk read). */
  backlog?: () => LogLine[];
  /** Ends the wait without a line (e.g. the process ended); runs after the backlog and each change. */
  state?: () => T | undefined;
}

/**
 * Resolves with the first value `match` gives for a line of `name`: each line
 * once, in sequence order (the backlog, then live lines), or with the first
 * value `state` gives.
 */
export function untilLineOf<T>(
  source: WaitSource,
  clock: Clock,
  name: string,
  match: (line: LogLine) => T | undefined,
  opts: LineWaitOptions<T>,
): Promise<Until<T>> {
  return settleWhen<T>(clock, opts, (finish, fail) => {
    // Lines come in sequence order, so a watermark drops repeats in constant memory.
    let lastSeq = 0;
    let done = false;
    const end = (v: T) => {
      done = true;
      finish(v);
    };
    const broken = (e: unknown) => {
      done = true;
      fail(e);
    };
    const feed = (lines: LogLine[]) => {
      for (const l of lines) {
        if (done) return;
        if (l.seq <= lastSeq) continue;
        lastSeq = l.seq;
        probe(() => match(l), end, broken);
      }
    };
    const offs = [source.onLines(name, (_n, lines) => feed(lines))];
    const { backlog, state } = opts;
    if (backlog) probe(() => feed(backlog()), () => {}, broken);
    if (state) {
      const test = () => probe(state, end, broken);
      offs.push(source.onChange(test));
      test();
    }
    return offs;
  });
}
