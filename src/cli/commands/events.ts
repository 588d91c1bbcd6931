/** `events [name...]`: presents the recorded events, then with `--follow` new ones as they come. */

import { type CommandContext, option, options } from "../context.ts";
import { events, followEvents } from "../../ops/events.ts";
import { EVENTS_OPTIONS, OPT } from "../../ops/options.ts";
import { eventJson, eventText, type ProcEvent } from "../../events/types.ts";

/** Default `--follow` timeout (ms). */
const FOLLOW_TIMEOUT_MS = 30_000;

/** Runs `events`. */
export async function run(ctx: CommandContext): Promise<number> {
  const input = { names: ctx.args, ...options(ctx, EVENTS_OPTIONS) };
  const follow = option(ctx, OPT.eventsFollow) === true;
  const timeoutMs = option(ctx, OPT.eventsTimeout) ?? FOLLOW_TIMEOUT_MS;
  const print = (e: ProcEvent) => ctx.out(ctx.json ? eventJson(e) : eventText(e));
  const { events: recorded } = events(input, ctx.op);
  for (const e of recorded) print(e);
  if (!follow) {
    if (!recorded.length && !ctx.json) ctx.out("no events");
    return 0;
  }
  const wanted = (e: ProcEvent) => !ctx.args.length || ctx.args.includes(e.name);
  await followEvents(ctx.op, timeoutMs, wanted, print);
  return 0;
}
