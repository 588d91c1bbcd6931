/** `restart <name>...`: restart processes (starting a daemon from saved state if needed). */

import type { CommandContext } from "../context.ts";
import type { ProcessInfo } from "../../model.ts";
import { request } from "../../client/connect.ts";
import { localState } from "../local.ts";
import { notFound } from "../../errors.ts";
import { tryConnect } from "../../client/connect.ts";

/** Restarts `ctx.args` (starting a daemon from saved state if needed); returns their rows. */
export async function restartTargets(ctx: CommandContext): Promise<ProcessInfo[]> {
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
  return await request(ctx.paths, { type: "restart", targets: ctx.args }, {
    autostart: true,
    timeoutMs: 120_000,
  }) as ProcessInfo[];
}

/** One process's line after a restart: on stdout when it runs, an error line when it did not. */
export type RestartLine = { kind: "restarted"; text: string } | { kind: "down"; text: string };

/** The line `restart` prints for one process. */
export function restartLine(p: ProcessInfo): RestartLine {
  if (p.state === "running") {
    return { kind: "restarted", text: `restarted ${p.name} (id: ${p.id}, pid: ${p.pid})` };
  }
  return {
    kind: "down",
    text: `error: ${p.name} did not stay up (${p.state}, exit ${p.exit_code ?? p.signal ?? "-"})`,
  };
}

/** Runs `restart`. */
export async function run(ctx: CommandContext): Promise<number> {
  const infos = await restartTargets(ctx);
  if (ctx.json) {
    ctx.out(JSON.stringify(infos));
    return 0;
  }
  for (const p of infos) {
    const line = restartLine(p);
    if (line.kind === "restarted") ctx.out(line.text);
    else ctx.err(line.text);
  }
  return infos.every((p) => p.state === "running") ? 0 : 1;
}
