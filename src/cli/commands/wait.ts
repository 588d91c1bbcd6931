/**
 * `wait <name> --until PAT | --exit | --ready`: block until the condition
 * holds, the process ends for good (exit 1 at once), or the timeout (exit 1).
 * With no daemon running the process cannot change any more, so the answer
 * comes from the saved state and the log on disk.
 */

import { bool, type CommandContext, seconds, str } from "../context.ts";
import { CliError, notFound } from "../../errors.ts";
import { NoDaemon, request } from "../../client/connect.ts";
import type { WaitCondition, WaitResult } from "../../protocol.ts";
import { localState } from "../local.ts";
import { compilePattern } from "../../logs/pattern.ts";
import { describeExit, type ProcRecord } from "../../daemon/lifecycle.ts";
import { generationLines } from "../logtext.ts";

function condition(ctx: CommandContext): WaitCondition {
  const until = str(ctx, "until");
  const chosen =
    [until !== undefined, bool(ctx, "exit"), bool(ctx, "ready")].filter(Boolean).length;
  if (chosen !== 1) {
    throw new CliError("wait needs exactly one of --until PAT, --exit, --ready", {
      hint: "agent-procs wait NAME --until 'Listening on'",
    });
  }
  if (until !== undefined) {
    const c = compilePattern(until, { regex: bool(ctx, "regex") });
    if (!c.ok) throw new CliError(c.error);
    return { kind: "until", pattern: until, regex: bool(ctx, "regex") };
  }
  return bool(ctx, "exit") ? { kind: "exit" } : { kind: "ready" };
}

/** The line `wait` prints for a result. */
export function waitText(name: string, r: WaitResult): string {
  if (r.kind === "matched") return r.line.text;
  if (r.kind === "ready") return `${name} is ready`;
  if (r.signal) return `exited with signal ${r.signal}`;
  return `exited with code ${r.exitCode ?? "unknown"}`;
}

function print(ctx: CommandContext, name: string, r: WaitResult): void {
  ctx.out(ctx.json ? JSON.stringify({ process: name, ...r }) : waitText(name, r));
}

/** Answers a wait from saved state (no daemon: the process is not running). */
async function waitLocally(
  ctx: CommandContext,
  target: string,
  cond: WaitCondition,
): Promise<WaitResult> {
  const state = await localState(ctx.paths);
  const rec: ProcRecord | undefined = state.records.find((r) =>
    r.spec.name === target || r.id === target
  );
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
  const m = c.matcher;
  const hit = generationLines(ctx.paths, rec.spec.name, rec.generation).find((l) =>
    !l.annotation && m.test(l.text)
  );
  if (hit) return { kind: "matched", line: hit };
  throw new CliError(
    `${rec.spec.name} is not running${ended} and never printed ${JSON.stringify(cond.pattern)}`,
  );
}

/**
 * Waits for `ctx.args[0]` as `wait` does (live from the daemon, else from the
 * saved state); returns null only when `signal` aborted the wait.
 */
export async function waitResult(
  ctx: CommandContext,
  signal?: AbortSignal,
): Promise<WaitResult | null> {
  const target = ctx.args[0];
  const cond = condition(ctx);
  const timeoutMs = seconds(ctx, "timeout", 30_000);
  try {
    return await request(ctx.paths, { type: "wait", target, condition: cond, timeoutMs }, {
      autostart: false,
      timeoutMs: timeoutMs === 0 ? 0 : timeoutMs + 5000,
      signal,
    }) as WaitResult | null;
  } catch (e) {
    if (e instanceof NoDaemon) return await waitLocally(ctx, target, cond);
    if (e instanceof CliError && e.message === "timeout") {
      throw new CliError(`timeout after ${timeoutMs / 1000}s waiting for ${target}`);
    }
    throw e;
  }
}

/** Runs `wait`. */
export async function run(ctx: CommandContext): Promise<number> {
  const result = await waitResult(ctx);
  if (result) print(ctx, ctx.args[0], result);
  return 0;
}
