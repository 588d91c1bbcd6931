/**
 * The wait engine: `wait --until` (a line of the current incarnation,
 * including lines printed before the call), `wait --exit` and `wait --ready`.
 * Each is one `Supervisor.until`/`untilLine` with a deadline; a wait fails at
 * once when the process ends for good instead of waiting out the timeout.
 */

import type { ErrorCode, WaitCondition, WaitResult } from "../protocol.ts";
import { readLogs } from "../logs/reader.ts";
import { STREAM_NAMES } from "../logs/index_format.ts";
import { compilePattern } from "../logs/pattern.ts";
import { processLogDir, type SessionPaths } from "../paths.ts";
import {
  describeExit,
  type Failure,
  hasIncarnation,
  isCrashLooping,
  isEndedForGood,
  isLive,
  isUp,
  type ProcRecord,
} from "./lifecycle.ts";
import type { Supervisor } from "./supervisor.ts";
import type { Until } from "./until.ts";
import { askedAndEndedMessage, promptHint, waitingMessage } from "../digest/prompt_text.ts";

/** Matches of the current run read from disk when a wait starts (annotations are dropped after). */
const BACKLOG_MATCHES = 64;

/** Outcome of a wait. */
export type WaitOutcome =
  | { ok: true; result: WaitResult }
  | { ok: false; code: ErrorCode; message: string; details?: string[]; hint?: string };

/** Last lines of a process's log (both streams), for error details (none when it has no log). */
export function lastLines(paths: SessionPaths, name: string, n: number): string[] {
  const lines = readLogs(processLogDir(paths, name), { streams: [...STREAM_NAMES], tail: n });
  return lines.map((l) => l.text);
}

/**
 * What an error about a process that failed shows: the digest of its last
 * failure (with the port hint), else its last lines.
 */
export function failureDetails(paths: SessionPaths, rec: ProcRecord): string[] {
  const f = rec.lastFailure;
  if (f && f.generation === rec.generation) return digestLines(f);
  return lastLines(paths, rec.spec.name, 10);
}

/** A failure's digest as error details: its lines, then the port hint when there is one. */
function digestLines(f: Failure): string[] {
  return f.hint ? [...f.excerpt, f.hint] : f.excerpt;
}

/** The error of a wait on a crash-looping process (it fails at once instead of timing out). */
function crashLoopError(rec: ProcRecord): WaitOutcome {
  return {
    ok: false,
    code: "failed",
    message: `${rec.spec.name} is in a crash loop (${rec.quickFailures} failures within 10s of ` +
      `starting)`,
    details: rec.lastFailure ? digestLines(rec.lastFailure) : [],
  };
}

/** The error of a wait on a process that waits at a prompt (SPEC §16: fail at once). */
function awaitingError(sup: Supervisor, r: ProcRecord): WaitOutcome | undefined {
  const a = sup.input.awaiting(r.spec.name);
  if (!a || a.generation !== r.generation) return undefined;
  const name = r.spec.name;
  const hint = promptHint(name, r.spec.stdin === "pipe");
  return { ok: false, code: "failed", message: waitingMessage(name, a.prompt), hint };
}

function endedMessage(rec: ProcRecord, what: string): string {
  const p = rec.phase;
  const how = p.kind === "stopped"
    ? "was stopped"
    : p.kind === "failed"
    ? `failed (${describeExit(p.exit)})`
    : p.kind === "exited"
    ? `exited (${describeExit(p.exit)})`
    : "is gone";
  return `${rec.spec.name} ${how} ${what}`;
}

/** Waits for a condition on the process `name`. `signal` cancels (client went away). */
export async function waitFor(
  sup: Supervisor,
  paths: SessionPaths,
  name: string,
  cond: WaitCondition,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<WaitOutcome> {
  const rec = sup.get(name);
  if (!rec) return { ok: false, code: "not_found", message: `no process named ${name}` };
  const fail = (r: ProcRecord, what: string): WaitOutcome => {
    const details = failureDetails(paths, r);
    const asked = r.spec.stdin === "pipe" ? null : sup.input.askedAtEnd(r.spec.name, r.generation);
    if (!asked) return { ok: false, code: "failed", message: endedMessage(r, what), details };
    const how = endedMessage(r, what).slice(r.spec.name.length + 1);
    const message = askedAndEndedMessage(r.spec.name, asked, how);
    return { ok: false, code: "failed", message, details, hint: promptHint(r.spec.name, false) };
  };
  const opts = { signal, timeoutMs };

  if (cond.kind === "exit") {
    if (!isLive(rec.phase)) return { ok: true, result: exited(rec) };
    const gen = rec.generation;
    return outcome(
      await sup.until<WaitOutcome>(() => {
        const r = sup.get(name);
        if (!r) return { ok: true, result: { kind: "exited", exitCode: null, signal: null } };
        if (r.generation !== gen || !hasIncarnation(r.phase)) {
          return { ok: true, result: exited(r) };
        }
      }, opts),
    );
  }

  if (cond.kind === "ready") {
    return outcome(
      await sup.until<WaitOutcome>(() => {
        const r = sup.get(name);
        if (!r) return fail(rec, "before it was ready");
        if (r.ready === true || (r.ready === null && isUp(r.phase))) {
          return { ok: true, result: { kind: "ready" } };
        }
        if (isEndedForGood(r.phase)) return fail(r, "before it was ready");
        if (isCrashLooping(r, sup.clock.now())) return crashLoopError(r);
        return awaitingError(sup, r);
      }, opts),
    );
  }

  const c = compilePattern(cond.pattern, { regex: cond.regex });
  if (!c.ok) return { ok: false, code: "bad_request", message: c.error };
  const m = c.matcher;
  const gen = rec.generation;
  const without = `without printing ${JSON.stringify(cond.pattern)}`;
  return outcome(
    await sup.untilLine<WaitOutcome>(name, (l) => {
      const cur = sup.get(name);
      if (l.annotation || (cur && l.generation < cur.generation)) return undefined;
      if (m.test(l.text)) return { ok: true, result: { kind: "matched", line: l } };
    }, {
      ...opts,
      // Only the matches: the store searches its blocks without making an object per line, so a
      // wait on a process that has printed millions of lines (a flood) costs no more than a grep.
      backlog: () =>
        readLogs(processLogDir(paths, name), {
          streams: [...STREAM_NAMES],
          minGeneration: gen,
          grep: { pattern: cond.pattern, regex: cond.regex },
          tail: BACKLOG_MATCHES,
        }).filter((l) => !l.annotation),
      state: () => {
        const r = sup.get(name);
        if (!r || isEndedForGood(r.phase)) return fail(r ?? rec, without);
        if (isCrashLooping(r, sup.clock.now())) return crashLoopError(r);
        return awaitingError(sup, r);
      },
    }),
  );
}

/** The outcome of a finished wait, or the timeout/cancel error. */
function outcome(u: Until<WaitOutcome>): WaitOutcome {
  if (u.ok) return u.value;
  return u.reason === "timeout"
    ? { ok: false, code: "timeout", message: "timeout" }
    : { ok: false, code: "failed", message: "cancelled" };
}

function exited(r: ProcRecord): WaitResult {
  const e = r.lastExit;
  return { kind: "exited", exitCode: e?.code ?? null, signal: e?.signal ?? null };
}
