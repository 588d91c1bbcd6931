/**
 * `status`: the session's process rows, live from the daemon or, when none
 * runs, from the saved state (which never starts a daemon).
 */

import type { ProcessInfo } from "../model.ts";
import { NoDaemon, request } from "../client/connect.ts";
import { notFound } from "../errors.ts";
import { type OpContext, reqOpts } from "./context.ts";
import { lazy } from "../lazy.ts";

/** Input of `status`. */
export interface StatusInput {
  /** Only these processes (names or ids); all when empty or absent. */
  names?: string[];
  /** Sample CPU and memory of each process group (may take 100 ms). */
  resources?: boolean;
}

/** Result of `status`. */
export interface StatusResult {
  processes: ProcessInfo[];
}

/** Every row of the session: live from the daemon, else the last saved state. */
export async function fetchStatus(ctx: OpContext, resources = false): Promise<ProcessInfo[]> {
  try {
    return await request(
      ctx.paths,
      resources ? { type: "status", resources } : { type: "status" },
      reqOpts(ctx, {
        autostart: false,
        timeoutMs: 10_000,
      }),
    );
  } catch (e) {
    if (!(e instanceof NoDaemon)) throw e;
    // Loaded only without a daemon: the warm path stays small.
    const { savedInfos, savedState } = await lazy("ops/saved_state.ts");
    return savedInfos(await savedState(ctx.paths));
  }
}

/** True when `p` is the process `target` names (by name or by id). */
export function isTarget(p: { name: string; id: string }, target: string): boolean {
  return p.name === target || p.id === target;
}

/** The rows of `input.names` (all when none); unknown names are "not found" (exit 2). */
export async function status(input: StatusInput, ctx: OpContext): Promise<StatusResult> {
  const procs = await fetchStatus(ctx, input.resources === true);
  const names = input.names ?? [];
  if (!names.length) return { processes: procs };
  const missing = names.filter((a) => !procs.some((p) => isTarget(p, a)));
  if (missing.length) throw notFound(`no process named ${missing.join(", ")}`);
  return { processes: procs.filter((p) => names.some((n) => isTarget(p, n))) };
}

/** The process names of the session (for completions): never starts a daemon. */
export async function processNames(ctx: OpContext): Promise<string[]> {
  return [...new Set((await fetchStatus(ctx)).map((p) => p.name))];
}
