/**
 * `wait`: block until a line of the current run matches, the process is
 * ready, or it exits; fail at once when it ends for good first, or at the
 * timeout. With no daemon running the process cannot change any more, so the
 * answer comes from the saved state and the log on disk.
 */

import { Cancelled, NoDaemon, request } from "../client/connect.ts";
import { CliError, notFound } from "../errors.ts";
import type { WaitCondition, WaitResult } from "../protocol.ts";
import { compilePattern } from "../logs/pattern.ts";
import { type OpContext, reqOpts } from "./context.ts";
import type { OptionValues } from "./convert.ts";
import type { WAIT_OPTIONS } from "./options.ts";
import type { ProcEvent } from "../events/types.ts";
import { lazy } from "../lazy.ts";

/** Input of `wait`: the process (name or id) and exactly one condition. */
export type WaitInput = { name: string } & OptionValues<typeof WAIT_OPTIONS>;

/** Default `wait` timeout (ms). */
export const WAIT_TIMEOUT_MS = 30_000;

/** What `wait` returns: the daemon's answer, or the event that came. */
export type WaitOutcome = WaitResult | { kind: "event"; event: ProcEvent };

/** A usage error unless exactly one condition is given. */
export function checkOneCondition(input: Omit<WaitInput, "name">): void {
  const chosen = [
    input.until !== undefined,
    input.exit === true,
    input.ready === true,
    input.event !== undefined,
    input.settle === true,
  ].filter(Boolean).length;
  if (chosen !== 1) {
    throw new CliError(
      "wait needs exactly one of --until PAT, --exit, --ready, --event TYPE, --settle",
      {
        hint: "agent-procs wait NAME --until 'Listening on'",
      },
    );
  }
}

/** The daemon-side condition an input asks for (not `event`, which the event file answers). */
export function waitCondition(input: Omit<WaitInput, "name" | "event" | "settle">): WaitCondition {
  checkOneCondition(input);
  if (input.until !== undefined) {
    const c = compilePattern(input.until, { regex: input.regex === true });
    if (!c.ok) throw new CliError(c.error);
    return { kind: "until", pattern: input.until, regex: input.regex === true };
  }
  return input.exit ? { kind: "exit" } : { kind: "ready" };
}

/** Answers a wait from saved state (no daemon: the process is not running). */
async function waitSaved(ctx: OpContext, target: string, cond: WaitCondition): Promise<WaitResult> {
  // Loaded only without a daemon: the live path stays small.
  const { savedState } = await lazy("ops/saved_state.ts");
  const { matchesOf } = await lazy("ops/log_text.ts");
  const { describeExit } = await lazy("daemon/lifecycle.ts");
  const state = await savedState(ctx.paths);
  const rec = state.records.find((r) => r.spec.name === target || r.id === target);
  if (!rec) throw notFound(`no process named ${target}`);
  const ended = rec.lastExit ? ` (${describeExit(rec.lastExit)})` : "";
  if (cond.kind === "exit") {
    return {
      kind: "exited",
      exitCode: rec.lastExit?.code ?? null,
      signal: rec.lastExit?.signal ?? null,
    };
  }
  if (cond.kind === "ready") throw new CliError(`${rec.spec.name} is not running${ended}`);
  const c = compilePattern(cond.pattern, { regex: cond.regex });
  if (!c.ok) throw new CliError(c.error);
  const hit = matchesOf(ctx.paths, rec.spec.name, rec.generation, cond)[0];
  if (hit) return { kind: "matched", line: hit };
  throw new CliError(
    `${rec.spec.name} is not running${ended} and never printed ${JSON.stringify(cond.pattern)}`,
  );
}

/**
 * Sends a wait to the daemon. Returns null when `ctx.signal` aborted it and
 * throws `NoDaemon` when none runs; a timeout keeps the daemon's "timeout".
 */
export async function waitLive(
  ctx: OpContext,
  target: string,
  condition: WaitCondition,
  timeoutMs: number,
): Promise<WaitResult | null> {
  try {
    return await request(
      ctx.paths,
      { type: "wait", target, condition, timeoutMs },
      reqOpts(ctx, {
        autostart: false,
        timeoutMs: timeoutMs === 0 ? 0 : timeoutMs + 5000,
        cancellable: true,
      }),
    );
  } catch (e) {
    if (e instanceof Cancelled) return null;
    throw e;
  }
}

/** Waits as `wait` does (not `--settle`: see `settle.ts`); null only when `ctx.signal` aborted it. */
export async function wait(input: WaitInput, ctx: OpContext): Promise<WaitOutcome | null> {
  const timeoutMs = input.timeoutMs ?? WAIT_TIMEOUT_MS;
  if (input.quiet !== undefined && !input.settle) throw new CliError("--quiet needs --settle");
  if (input.event !== undefined) {
    checkOneCondition(input);
    const { eventTypes, waitEvent } = await lazy("ops/events.ts");
    const types = eventTypes(input.event);
    const event = await waitEvent(ctx, input.name, types, timeoutMs);
    return event === null ? null : { kind: "event", event };
  }
  const cond = waitCondition(input);
  try {
    return await waitLive(ctx, input.name, cond, timeoutMs);
  } catch (e) {
    if (e instanceof NoDaemon) return await waitSaved(ctx, input.name, cond);
    if (e instanceof CliError && e.message === "timeout") {
      throw new CliError(`timeout after ${timeoutMs / 1000}s waiting for ${input.name}`);
    }
    throw e;
  }
}
