/** `export --format compose|kubernetes|systemd [-o DIR]`: presents the `export` operation. */

import { type CommandContext, emit, options } from "../context.ts";
import { exportStack } from "../../ops/export.ts";
import { EXPORT_OPTIONS } from "../../ops/options.ts";
import { exportLines } from "../../present/formats_text.ts";

/** Runs `export`. */
export async function run(ctx: CommandContext): Promise<number> {
  const r = await exportStack(options(ctx, EXPORT_OPTIONS), ctx.op);
  if (ctx.json) {
    emit(ctx, exportLines({ ...r, files: [] }, ctx.op.cwd).filter((l) => l.stderr));
    ctx.out(JSON.stringify(r));
  } else emit(ctx, exportLines(r, ctx.op.cwd));
  return 0;
}
