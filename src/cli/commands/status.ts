/** `status [name...]`: presents the `status` operation as a table or JSON. */

import type { CommandContext } from "../context.ts";
import { status } from "../../ops/status.ts";
import { statusText } from "../../present/format.ts";

/** Runs `status`. */
export async function run(ctx: CommandContext): Promise<number> {
  const { processes } = await status({ names: ctx.args }, ctx.op);
  if (ctx.json) ctx.out(JSON.stringify(processes));
  else for (const line of statusText(processes, ctx.args.length > 0)) ctx.out(line);
  return 0;
}
