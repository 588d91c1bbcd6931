/** `restart <name>...`: restart processes (starting a daemon from saved state if needed). */

import type { CommandContext } from "../context.ts";
import type { ProcessInfo } from "../../model.ts";
import { request } from "../../client/connect.ts";
import { localState } from "../local.ts";
import { notFound } from "../../errors.ts";
import { tryConnect } from "../../client/connect.ts";

/** Runs `restart`. */
export async function run(ctx: CommandContext): Promise<number> {
  const conn = await tryConnect(ctx.paths.socket);
  if (conn) conn.close();
  else {
    // Fail fast with exit 2 for unknown names before starting a daemon.
    const state = await localState(ctx.paths);
    const missing = ctx.args.filter((a) =>
      !state.records.some((r) => r.spec.name === a || r.id === a)
    );
    if (missing.length) throw notFound(`no process named ${missing.join(", ")}`);
  }
  const infos = await request(ctx.paths, { type: "restart", targets: ctx.args }, {
    autostart: true,
    timeoutMs: 120_000,
  }) as ProcessInfo[];
  if (ctx.json) {
    ctx.out(JSON.stringify(infos));
    return 0;
  }
  for (const p of infos) {
    if (p.state === "running") ctx.out(`restarted ${p.name} (id: ${p.id}, pid: ${p.pid})`);
    else {ctx.err(
        `error: ${p.name} did not stay up (${p.state}, exit ${p.exit_code ?? p.signal ?? "-"})`,
      );}
  }
  return infos.every((p) => p.state === "running") ? 0 : 1;
}
