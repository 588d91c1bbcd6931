/** `stop <name>...` and `stop-all`: stop processes and wait until they are gone. */

import type { CommandContext } from "../context.ts";
import { NoDaemon, request } from "../../client/connect.ts";
import { localState } from "../local.ts";
import { notFound } from "../../errors.ts";

/** Generous upper bound: stop timeouts are 10 s by default, then SIGKILL. */
const STOP_DEADLINE_MS = 120_000;

/**
 * Stops `ctx.args` (or everything for `stop-all`) and resolves once they are
 * gone; returns the names stopped (for `stop`, the names as given).
 */
export async function stopTargets(ctx: CommandContext): Promise<string[]> {
  const all = ctx.command === "stop-all";
  let names: string[];
  try {
    names = await request(
      ctx.paths,
      all ? { type: "stop_all" } : { type: "stop", targets: ctx.args },
      { autostart: false, timeoutMs: STOP_DEADLINE_MS },
    ) as string[];
  } catch (e) {
    if (!(e instanceof NoDaemon)) throw e;
    // No daemon: nothing runs. Known names are already stopped; unknown ones are errors.
    const state = await localState(ctx.paths);
    if (!all) {
      const missing = ctx.args.filter((a) =>
        !state.records.some((r) => r.spec.name === a || r.id === a)
      );
      if (missing.length) throw notFound(`no process named ${missing.join(", ")}`);
    }
    names = all ? [] : ctx.args;
  }
  return all ? names : ctx.args;
}

/** The text `stop`/`stop-all` prints. */
export function stopText(command: string, stopped: string[]): string[] {
  return command === "stop-all" ? ["all processes stopped"] : stopped.map((n) => `stopped ${n}`);
}

/** Runs `stop` or `stop-all`. */
export async function run(ctx: CommandContext): Promise<number> {
  const stopped = await stopTargets(ctx);
  if (ctx.json) ctx.out(JSON.stringify({ stopped }));
  else for (const line of stopText(ctx.command, stopped)) ctx.out(line);
  return 0;
}
