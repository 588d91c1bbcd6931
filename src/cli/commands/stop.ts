/** `stop <name>...` and `stop-all`: present the `stop` operation. */

import type { CommandContext } from "../context.ts";
import { stop } from "../../ops/stop.ts";
import { stopText } from "../../present/text.ts";

/** Runs `stop` or `stop-all`. */
export async function run(ctx: CommandContext): Promise<number> {
  const all = ctx.command === "stop-all";
  const { stopped } = await stop(all ? { all } : { names: ctx.args }, ctx.op);
  if (ctx.json) ctx.out(JSON.stringify({ stopped }));
  else for (const line of stopText(all, stopped)) ctx.out(line);
  return 0;
}
