/** `status [name...]`: the process table (or JSON), from the daemon or from saved state. */

import type { CommandContext } from "../context.ts";
import type { ProcessInfo } from "../../model.ts";
import { NoDaemon, request } from "../../client/connect.ts";
import { statusTable } from "../format.ts";
import { notFound } from "../../errors.ts";

/** Status rows of the session: live from the daemon, else the last saved state. */
export async function fetchStatus(ctx: CommandContext): Promise<ProcessInfo[]> {
  try {
    return await request(ctx.paths, { type: "status" }, {
      autostart: false,
      timeoutMs: 10_000,
    }) as ProcessInfo[];
  } catch (e) {
    if (!(e instanceof NoDaemon)) throw e;
    // Loaded only without a daemon: the warm path stays small.
    const { localInfos, localState } = await import("../local.ts");
    return localInfos(await localState(ctx.paths));
  }
}

/** The rows `status [name...]` shows: every row, or the named ones (exit 2 for unknown names). */
export async function selectStatus(ctx: CommandContext): Promise<ProcessInfo[]> {
  const procs = await fetchStatus(ctx);
  if (!ctx.args.length) return procs;
  const missing = ctx.args.filter((a) => !procs.some((p) => p.name === a || p.id === a));
  if (missing.length) throw notFound(`no process named ${missing.join(", ")}`);
  return procs.filter((p) => ctx.args.includes(p.name) || ctx.args.includes(p.id));
}

/** The text `status` prints: the table, or `no processes`. */
export function statusText(procs: ProcessInfo[]): string[] {
  return procs.length === 0 ? ["no processes"] : statusTable(procs);
}

/** Runs `status`. */
export async function run(ctx: CommandContext): Promise<number> {
  const procs = await selectStatus(ctx);
  if (ctx.json) ctx.out(JSON.stringify(procs));
  else for (const line of statusText(procs)) ctx.out(line);
  return 0;
}
