/** `init [--from FILE] [--dry-run] [--force]`: presents the `init` operation. */

import { type CommandContext, emit, options } from "../context.ts";
import { init } from "../../ops/init.ts";
import { INIT_OPTIONS } from "../../ops/options.ts";
import { initLines } from "../../present/formats_text.ts";

/** Runs `init`. */
export async function run(ctx: CommandContext): Promise<number> {
  const r = await init(options(ctx, INIT_OPTIONS), ctx.op);
  if (ctx.json) {
    const { text: _t, ...doc } = r;
    ctx.out(JSON.stringify(ctx.flags["dry-run"] ? r : doc));
  } else emit(ctx, initLines(r, ctx.op.cwd));
  return 0;
}
