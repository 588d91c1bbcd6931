/**
 * The wait engine: `wait --until` (a line of the current incarnation,
 * including lines printed before the call), `wait --exit` and `wait --ready`.
 * A wait is a pair of subscriptions on the supervisor plus a timeout; it
 * fails at once when the process ends for good instead of waiting out the
 * timeout.
 */

import type { ErrorCode, WaitCondition, WaitResult } from "../protocol.ts";
import { readLogs } from "../logs/reader.ts";
import { compilePattern } from "../logs/pattern.ts";
import type { LogLine } from "../logs/writer.ts";
import { processLogDir, type SessionPaths } from "../paths.ts";
import { describeExit, isEndedForGood, isLive, type ProcRecord } from "./lifecycle.ts";
import type { Supervisor } from "./supervisor.ts";

/** Outcome of a wait. */
export type WaitOutcome =
  | { ok: true; result: WaitResult }
  | { ok: false; code: ErrorCode; message: string; details?: string[] };

/** Last lines of a process's log (both streams), for error details. */
export function lastLines(paths: SessionPaths, name: string, n: number): string[] {
  try {
    const lines = readLogs(processLogDir(paths, name), { streams: ["stdout", "stderr"], tail: n });
    return lines.map((l) => l.text);
  } catch {
    return [];
  }
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
export function waitFor(
  sup: Supervisor,
  paths: SessionPaths,
  name: string,
  cond: WaitCondition,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<WaitOutcome> {
  return new Promise((resolve) => {
    const cleanups: (() => void)[] = [];
    let done = false;
    const finish = (o: WaitOutcome) => {
      if (done) return;
      done = true;
      for (const c of cleanups) c();
      resolve(o);
    };
    const fail = (rec: ProcRecord, what: string) =>
      finish({
        ok: false,
        code: "failed",
        message: endedMessage(rec, what),
        details: lastLines(paths, name, 10),
      });
    if (timeoutMs > 0) {
      const t = setTimeout(
        () => finish({ ok: false, code: "timeout", message: "timeout" }),
        timeoutMs,
      );
      cleanups.push(() => clearTimeout(t));
    }
    const onAbort = () => finish({ ok: false, code: "failed", message: "cancelled" });
    signal.addEventListener("abort", onAbort);
    cleanups.push(() => signal.removeEventListener("abort", onAbort));

    const rec = sup.get(name);
    if (!rec) return finish({ ok: false, code: "not_found", message: `no process named ${name}` });

    if (cond.kind === "exit") {
      if (!isLive(rec.phase)) return finish({ ok: true, result: exited(rec) });
      const gen = rec.generation;
      cleanups.push(sup.onChange((n, r) => {
        if (n !== name) return;
        if (!r) {
          return finish({ ok: true, result: { kind: "exited", exitCode: null, signal: null } });
        }
        const ended = r.generation !== gen ||
          (r.phase.kind !== "running" && r.phase.kind !== "stopping" &&
            r.phase.kind !== "starting");
        if (ended) finish({ ok: true, result: exited(r) });
      }));
      return;
    }

    if (cond.kind === "ready") {
      const check = (r: ProcRecord | undefined) => {
        if (!r) return fail(rec, "before it was ready");
        if (r.ready === true || (r.ready === null && r.phase.kind === "running")) {
          return finish({ ok: true, result: { kind: "ready" } });
        }
        if (isEndedForGood(r.phase)) fail(r, "before it was ready");
      };
      cleanups.push(sup.onChange((n, r) => n === name && check(r)));
      return check(rec);
    }

    const c = compilePattern(cond.pattern, { regex: cond.regex });
    if (!c.ok) return finish({ ok: false, code: "bad_request", message: c.error });
    const m = c.matcher;
    const gen = rec.generation;
    // Lines come in sequence order (the disk catch-up runs synchronously before any
    // live batch), so a watermark drops repeats in constant memory, even during a flood.
    let lastSeq = 0;
    const onLines = (_n: string, lines: LogLine[]) => {
      const cur = sup.get(name);
      for (const l of lines) {
        if (l.seq <= lastSeq) continue;
        lastSeq = l.seq;
        if (l.annotation || (cur && l.generation < cur.generation)) continue;
        if (m.test(l.text)) {
          return finish({ ok: true, result: { kind: "matched", line: l } });
        }
      }
    };
    cleanups.push(sup.onLines(name, onLines));
    cleanups.push(sup.onChange((n, r) => {
      if (n !== name) return;
      if (!r || isEndedForGood(r.phase)) {
        fail(r ?? rec, `without printing ${JSON.stringify(cond.pattern)}`);
      }
    }));
    try {
      const past = readLogs(processLogDir(paths, name), {
        streams: ["stdout", "stderr"],
        minGeneration: gen,
      });
      onLines(name, past.filter((l) => !l.annotation));
    } catch {
      // No log yet: only live lines can match.
    }
    if (!done && isEndedForGood(rec.phase)) {
      fail(rec, `without printing ${JSON.stringify(cond.pattern)}`);
    }
  });
}

function exited(r: ProcRecord): WaitResult {
  const e = r.lastExit;
  return { kind: "exited", exitCode: e?.code ?? null, signal: e?.signal ?? null };
}
