/**
 * `wait <name> --until PAT | --exit | --ready`: presents the `wait`
 * operation (exit 1 on timeout or when the process ends for good first).
 */

import { type CommandContext, options } from "../context.ts";
import { wait } from "../../ops/wait.ts";
import { WAIT_OPTIONS } from "../../ops/options.ts";
import { waitText } from "../../present/text.ts";

/** Runs `wait`. */
export async function run(ctx: CommandContext): Promise<number> {
  const name = ctx.args[0];
  const result = await wait({ name, ...options(ctx, WAIT_OPTIONS) }, ctx.op);
  if (result) {
    ctx.out(ctx.json ? JSON.stringify({ process: name, ...result }) : waitText(name, result));
  }
  return 0;
}
