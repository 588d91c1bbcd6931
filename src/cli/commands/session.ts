/** `session list` and `session clean`: present the sessions operations. */

import { type CommandContext, option } from "../context.ts";
import { cleanSessions, listSessions } from "../../ops/sessions.ts";
import { OPT } from "../../ops/options.ts";
import { cleanText, sessionsText } from "../../present/text.ts";

/** Runs `session list` or `session clean`. */
export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.command === "session clean") {
    const r = await cleanSessions({ purge: option(ctx, OPT.purge) });
    if (ctx.json) ctx.out(JSON.stringify(r));
    else for (const l of cleanText(r)) ctx.out(l);
    return 0;
  }
  const rows = await listSessions();
  if (ctx.json) ctx.out(JSON.stringify(rows));
  else for (const l of sessionsText(rows)) ctx.out(l);
  return 0;
}
