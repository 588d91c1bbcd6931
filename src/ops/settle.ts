/**
 * `wait NAME... --settle`: after an edit, wait until each process has settled
 * (no restart pending, running and ready or ended, and quiet for `quiet` ms
 * counted from the later of its last output and the call), then judge its
 * last burst of output (SPEC §11). Polls status and the log's tail; the
 * verdict comes from the pure judge in `digest/settle.ts`.
 */

import type { ProcessInfo } from "../model.ts";
import { CliError, notFound } from "../errors.ts";
import { processLogDir } from "../paths.ts";
import { readLogs } from "../logs/reader.ts";
import { STREAM_NAMES } from "../logs/index_format.ts";
import { judge, lastBurst, type Standing } from "../digest/settle.ts";
import { promptHint, waitingMessage } from "../digest/prompt_text.ts";
import { eventsPath, readEvents } from "../events/store.ts";
import type { OpContext } from "./context.ts";
import { fetchStatus, isTarget } from "./status.ts";
import { WAIT_TIMEOUT_MS } from "./wait.ts";

/** Default silence that counts as settled (ms). */
export const DEFAULT_QUIET_MS = 1000;
/** How often a settle looks again (ms). */
const POLL_MS = 100;
/** Lines of the current incarnation a burst is looked for in. */
const BURST_SOURCE_LINES = 2000;

/** Input of a settle. */
export interface SettleInput {
  names: string[];
  quiet?: number;
  timeoutMs?: number;
}

/** The verdict on one process (`wait --settle --json` prints these). */
export interface Settled {
  name: string;
  verdict: "ok" | "error";
  state: string;
  ready: boolean | null;
  /** Whether its current incarnation was restarted (by a file change, a restart or its policy). */
  restarted: boolean;
  /** Why the current incarnation started: `watch: PATH`, `auto-restart`, `restart`, ... */
  cause: string | null;
  /** Up time of the current incarnation in seconds, when running. */
  uptime_secs: number | null;
  /** The digest of the burst's errors (or of the failure), joined by `\n`; null when ok. */
  excerpt: string | null;
}

function lastOutputAt(ctx: OpContext, name: string): number {
  const l = readLogs(processLogDir(ctx.paths, name), { streams: [...STREAM_NAMES], tail: 1 });
  return l.length ? l[0].ts : 0;
}

function isSettled(p: ProcessInfo, ctx: OpContext, since: number, quietMs: number, now: number) {
  if (p.crash_loop) return true;
  if (p.state === "restarting" || p.state === "stopping") return false;
  if (p.state === "running" && p.ready === false) return false;
  return now - Math.max(since, lastOutputAt(ctx, p.name)) >= quietMs;
}

function standing(p: ProcessInfo): Standing {
  if (p.crash_loop) return { kind: "crash-loop" };
  if (p.state === "failed") return { kind: "failed" };
  if (p.state === "exited") return { kind: "exited", code: p.exit_code, signal: p.signal };
  return { kind: "running" };
}

function causeOf(ctx: OpContext, p: ProcessInfo): string | null {
  const evs = readEvents(eventsPath(ctx.paths), { names: [p.name] });
  const spawned = evs.findLast((e) => e.type === "spawned");
  const cause = typeof spawned?.details.cause === "string" ? spawned.details.cause : null;
  if (cause !== "watch") return cause;
  const change = evs.findLast((e) => e.type === "file-changed");
  return typeof change?.details.path === "string" ? `watch: ${change.details.path}` : cause;
}

function verdictOf(ctx: OpContext, p: ProcessInfo, quietMs: number): Settled {
  const startedAt = p.started_at ? Date.parse(p.started_at) : 0;
  const lines = readLogs(processLogDir(ctx.paths, p.name), {
    streams: [...STREAM_NAMES],
    minGeneration: p.generation,
    tail: BURST_SOURCE_LINES,
  });
  const v = judge(lastBurst(lines, startedAt, quietMs), standing(p));
  const cause = causeOf(ctx, p);
  let excerpt = v.digest?.lines.join("\n") ?? null;
  if (v.verdict === "error" && !excerpt) excerpt = p.last_failure?.excerpt ?? null;
  return {
    name: p.name,
    verdict: v.verdict,
    state: p.crash_loop ? "crashloop" : p.state,
    ready: p.ready,
    restarted: cause !== null && !["run", "up"].includes(cause),
    cause,
    uptime_secs: p.uptime_secs,
    excerpt,
  };
}

/** Waits until every named process has settled, then judges each; a timeout is an error. */
export async function settle(input: SettleInput, ctx: OpContext): Promise<Settled[] | null> {
  if (!input.names.length) throw new CliError("wait --settle needs at least one process name");
  const quietMs = input.quiet ?? DEFAULT_QUIET_MS;
  const timeoutMs = input.timeoutMs ?? WAIT_TIMEOUT_MS;
  const since = Date.now();
  const deadline = timeoutMs > 0 ? since + timeoutMs : Infinity;
  for (;;) {
    const procs = await fetchStatus(ctx);
    const rows = input.names.map((n) => {
      const p = procs.find((r) => isTarget(r, n));
      if (!p) throw notFound(`no process named ${n}`);
      return p;
    });
    const waiting = rows.find((p) => p.awaiting_input !== null);
    if (waiting?.awaiting_input) {
      throw new CliError(waitingMessage(waiting.name, waiting.awaiting_input.prompt), {
        hint: promptHint(waiting.name, waiting.stdin === "pipe"),
      });
    }
    const now = Date.now();
    if (rows.every((p) => isSettled(p, ctx, since, quietMs, now))) {
      return rows.map((p) => verdictOf(ctx, p, quietMs));
    }
    if (ctx.signal?.aborted) return null;
    if (now >= deadline) {
      const busy = rows.filter((p) => !isSettled(p, ctx, since, quietMs, now)).map((p) => p.name);
      throw new CliError(`timeout after ${timeoutMs / 1000}s: not settled: ${busy.join(", ")}`);
    }
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, deadline - now))));
  }
}
