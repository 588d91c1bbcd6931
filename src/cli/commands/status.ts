/** `status [name...]`: presents the `status` operation as a table or JSON. */

import { type CommandContext, options } from "../context.ts";
import { STATUS_OPTIONS } from "../../ops/options.ts";
import { status } from "../../ops/status.ts";
import { statusText } from "../../present/format.ts";

/** Runs `status`. */
export async function run(ctx: CommandContext): Promise<number> {
  const { resources } = options(ctx, STATUS_OPTIONS);
  const r = await status({ names: ctx.args, resources: ctx.json || resources === true }, ctx.op);
  if (ctx.json) ctx.out(JSON.stringify(r.processes));
  else {
    for (const line of statusText(r.processes, ctx.args.length > 0, resources === true)) {
      ctx.out(line);
    }
  }
  return 0;
}
