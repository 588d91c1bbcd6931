/**
 * `up [names...]` and `down`: present the `up`/`down` operations. Plain lines
 * when stdout is not a TTY, a live view when it is, one JSON document with
 * `--json`.
 */

import { type CommandContext, emit, options } from "../context.ts";
import { down, planUp, runUp, type UpEvent } from "../../ops/up.ts";
import { DOWN_OPTIONS, UP_OPTIONS } from "../../ops/options.ts";
import { downText, upEventLines, upSummary } from "../../present/text.ts";
import { configWarningLines } from "../../present/formats_text.ts";
import { LiveView } from "../live.ts";

/** Runs `up` or `down`. */
export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.command === "down") {
    const res = (await down(options(ctx, DOWN_OPTIONS), ctx.op))!;
    if (ctx.json) ctx.out(JSON.stringify(res));
    else for (const l of downText(res)) ctx.out(l);
    return 0;
  }
  const plan = await planUp({ names: ctx.args, ...options(ctx, UP_OPTIONS) }, ctx.op);
  emit(ctx, configWarningLines(plan.stack.warnings, ctx.op.cwd));
  const view = !ctx.json && Deno.stdout.isTerminal() ? new LiveView(plan.request.selected) : null;
  const onEvent = (m: UpEvent) => {
    if (ctx.json) return;
    if (view && m.type === "progress") {
      view.update(m.name, m.step, m.message);
      if (m.step === "failed") view.fail(m.name, m.message ?? "failed", m.details);
      return;
    }
    emit(ctx, upEventLines(m));
  };
  const result = (await runUp(plan, onEvent))!;
  view?.finish();
  if (ctx.json) {
    const { ok: _ok, warnings: _w, ...doc } = result;
    ctx.out(JSON.stringify(doc));
  } else emit(ctx, upSummary(result));
  return result.ok ? 0 : 1;
}
