/** `restart`: restart processes, starting a daemon from the saved state if none runs. */

import type { ProcessInfo } from "../model.ts";
import { request, tryConnect } from "../client/connect.ts";
import { notFound } from "../errors.ts";
import { type OpContext, reqOpts } from "./context.ts";
import { savedState } from "./saved_state.ts";

/** Input of `restart`. */
export interface RestartInput {
  /** Names or ids; at least one. */
  names: string[];
}

/** Result of `restart`: the rows after the restart; `down` names those that did not stay up. */
export interface RestartResult {
  processes: ProcessInfo[];
  down: string[];
}

/** Restarts `input.names`; unknown names are "not found" before any daemon starts. */
export async function restart(input: RestartInput, ctx: OpContext): Promise<RestartResult> {
  const conn = await tryConnect(ctx.paths.socket);
  if (conn) conn.close();
  else {
    const state = await savedState(ctx.paths);
    const missing = input.names.filter((a) =>
      !state.records.some((r) => r.spec.name === a || r.id === a)
    );
    if (missing.length) throw notFound(`no process named ${missing.join(", ")}`);
  }
  const processes = await request(
    ctx.paths,
    { type: "restart", targets: input.names },
    reqOpts(ctx, { autostart: true, timeoutMs: 120_000 }),
  );
  return { processes, down: processes.filter((p) => p.state !== "running").map((p) => p.name) };
}
