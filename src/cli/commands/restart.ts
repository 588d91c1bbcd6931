/** `restart <name>...`: presents the `restart` operation (exit 1 if one did not stay up). */

import { type CommandContext, emit } from "../context.ts";
import { restart } from "../../ops/restart.ts";
import { restartLines } from "../../present/text.ts";

/** Runs `restart`. */
export async function run(ctx: CommandContext): Promise<number> {
  const r = await restart({ names: ctx.args }, ctx.op);
  if (ctx.json) {
    ctx.out(JSON.stringify(r.processes));
    return 0;
  }
  emit(ctx, restartLines(r));
  return r.down.length ? 1 : 0;
}
