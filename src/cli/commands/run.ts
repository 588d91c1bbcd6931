/**
 * `run <cmd>`: presents the `run` operation. With `--ready PAT` the process
 * line comes first, then either nothing more or the error (exit 1).
 */

import { type CommandContext, emit, options } from "../context.ts";
import { run as runOp } from "../../ops/run.ts";
import { RUN_OPTIONS } from "../../ops/options.ts";
import { commandFromArgs } from "../shellwords.ts";
import { runLines } from "../../present/format.ts";

/** Runs `run`. */
export async function run(ctx: CommandContext): Promise<number> {
  const input = { cmd: commandFromArgs(ctx.args), ...options(ctx, RUN_OPTIONS) };
  const r = (await runOp(input, ctx.op))!;
  if (ctx.json) {
    for (const n of r.notes) ctx.err(n);
    if (r.readyError) throw r.readyError;
    const ready = input.ready === undefined && !input.readyListen ? {} : { ready: true };
    const outcome = r.outcome ? { outcome: r.outcome } : {};
    ctx.out(JSON.stringify({ ...r.process, ...ready, ...outcome }));
    return 0;
  }
  emit(ctx, runLines(r.process, r.notes, r.outcome));
  if (r.readyError) throw r.readyError;
  return 0;
}
