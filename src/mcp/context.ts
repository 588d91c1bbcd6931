/**
 * The operation context of one tool call: the session from the call's
 * `session`, else the server's `--session`, else the same rules as the CLI
 * (`AGENT_PROCS_SESSION`, the config found from the server's working
 * directory, `default`); the client's cancellation signal; and the daemon's
 * warnings collected for the tool's text.
 */

import { type OpContext, opContext } from "../ops/context.ts";

/** A tool call's context plus the warnings it collected. */
export interface ToolContext {
  ctx: OpContext;
  /** Daemon warnings seen during the call, as `warning: ...` lines. */
  warnings: string[];
}

/** Builds the context of a tool call. */
export function toolContext(
  serverSession: string | undefined,
  callSession: string | undefined,
  signal?: AbortSignal,
): ToolContext {
  const warnings: string[] = [];
  const ctx = opContext({
    session: callSession ?? serverSession,
    signal,
    warn: (line) => warnings.push(`warning: ${line}`),
  });
  return { ctx, warnings };
}
