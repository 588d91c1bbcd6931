/**
 * `wait <name> --until PAT | --exit | --ready`: presents the `wait`
 * operation (exit 1 on timeout or when the process ends for good first).
 */

import { type CommandContext, emit, options } from "../context.ts";
import { checkOneCondition, wait } from "../../ops/wait.ts";
import { settle } from "../../ops/settle.ts";
import { CliError } from "../../errors.ts";
import { WAIT_OPTIONS } from "../../ops/options.ts";
import { settleLines } from "../../present/text.ts";
import { waitText } from "../../present/wait_text.ts";

/** Runs `wait`. */
export async function run(ctx: CommandContext): Promise<number> {
  const opts = options(ctx, WAIT_OPTIONS);
  if (opts.settle) {
    checkOneCondition(opts);
    const input = { names: ctx.args, quiet: opts.quiet, timeoutMs: opts.timeoutMs };
    const results = (await settle(input, ctx.op))!;
    if (ctx.json) ctx.out(JSON.stringify(results));
    else emit(ctx, settleLines(results));
    return results.every((r) => r.verdict === "ok") ? 0 : 1;
  }
  if (ctx.args.length !== 1) {
    throw new CliError("wait: give exactly one name (several only with --settle)");
  }
  const name = ctx.args[0];
  const result = await wait({ name, ...opts }, ctx.op);
  if (result) {
    ctx.out(ctx.json ? JSON.stringify({ process: name, ...result }) : waitText(name, result));
  }
  return 0;
}
