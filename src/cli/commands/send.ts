/** `send <name> [text...]`: presents the `send` operation. */

import { type CommandContext, options } from "../context.ts";
import { send } from "../../ops/send.ts";
import { SEND_OPTIONS } from "../../ops/options.ts";
import { sentText } from "../../present/text.ts";

/** Runs `send`. */
export async function run(ctx: CommandContext): Promise<number> {
  const [name, ...text] = ctx.args;
  const r = await send({ name, text, ...options(ctx, SEND_OPTIONS) }, ctx.op);
  if (ctx.json) ctx.out(JSON.stringify(r));
  else for (const line of sentText(r)) ctx.out(line);
  return 0;
}
