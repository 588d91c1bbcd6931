/**
 * `logs [name]`: presents the `logs` operation (text or JSON lines), then
 * with `--follow` streams new lines until `--timeout`, `--lines`, or the
 * process has ended for good.
 */

import { type CommandContext, option, options } from "../context.ts";
import { followLogs, logs } from "../../ops/logs.ts";
import { LOGS_OPTIONS, OPT } from "../../ops/options.ts";
import { formatJson, formatText, type NamedEntry } from "../../logs/output.ts";

/** Default `--follow` timeout (ms). */
const FOLLOW_TIMEOUT_MS = 30_000;

/** Runs `logs`. */
export async function run(ctx: CommandContext): Promise<number> {
  // Every flag is checked before anything is read.
  const input = { name: ctx.args[0], ...options(ctx, LOGS_OPTIONS) };
  const follow = option(ctx, OPT.follow) === true;
  const lines = option(ctx, OPT.lines) ?? null;
  const timeoutMs = option(ctx, OPT.followTimeout) ?? FOLLOW_TIMEOUT_MS;
  const timestamps = option(ctx, OPT.timestamps) === true;
  const { plan, entries } = await logs(input, ctx.op);
  const print = (e: NamedEntry) => {
    if (!ctx.json) return ctx.out(formatText(e, { prefixName: plan.all, timestamps }));
    const j = formatJson(e);
    if (j !== null) ctx.out(j);
  };
  for (const e of entries) print(e);
  if (follow) await followLogs(plan, ctx.op, { lines, timeoutMs }, print);
  return 0;
}
