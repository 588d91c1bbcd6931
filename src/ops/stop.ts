/** `stop` and `stop-all`: stop processes and return once they are gone. */

import { NoDaemon, request } from "../client/connect.ts";
import { CliError, notFound } from "../errors.ts";
import { type OpContext, reqOpts } from "./context.ts";
import { savedState } from "./saved_state.ts";

/** Generous upper bound: stop timeouts are 10 s by default, then SIGKILL. */
const STOP_DEADLINE_MS = 120_000;

/** Input of `stop`: names (or ids), or `all`. */
export interface StopInput {
  names?: string[];
  all?: boolean;
}

/** Result of `stop`: the names of the processes stopped (ids resolved); for `all`, what was live. */
export interface StopResult {
  stopped: string[];
}

/** Stops the named processes (or all) and resolves once they are gone. */
export async function stop(input: StopInput, ctx: OpContext): Promise<StopResult> {
  const names = input.names ?? [];
  const all = input.all === true;
  if (all && names.length) throw new CliError("stop: give names or all, not both");
  if (!all && !names.length) {
    throw new CliError("stop: missing <name>...", { hint: "pass names, or all" });
  }
  try {
    const stopped = await request(
      ctx.paths,
      all ? { type: "stop_all" } : { type: "stop", targets: names },
      reqOpts(ctx, { autostart: false, timeoutMs: STOP_DEADLINE_MS }),
    );
    return { stopped };
  } catch (e) {
    if (!(e instanceof NoDaemon)) throw e;
  }
  // No daemon: nothing runs. Known names are already stopped; unknown ones are errors.
  if (all) return { stopped: [] };
  const state = await savedState(ctx.paths);
  const missing = names.filter((a) => !state.records.some((r) => r.spec.name === a || r.id === a));
  if (missing.length) throw notFound(`no process named ${missing.join(", ")}`);
  const byId = (t: string) => state.records.find((r) => r.spec.name === t || r.id === t)!.spec.name;
  return { stopped: [...new Set(names.map(byId))] };
}
