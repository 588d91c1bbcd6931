/**
 * The bridge from a tool call to the CLI's command functions: builds the same
 * `CommandContext` the CLI builds (session resolved by the same rules, from
 * the server's working directory), with flags as the CLI would have parsed
 * them and output captured into lines instead of written to stdout (which
 * carries the MCP protocol).
 */

import type { CommandContext, FlagValues } from "../cli/context.ts";
import { resolveSession } from "../cli/session.ts";
import { sessionPaths } from "../paths.ts";

/** One tool call expressed as a CLI invocation. */
export interface ToolCall {
  /** Command name as in the command table, e.g. `stop-all`. */
  command: string;
  /** Positional arguments. */
  args: string[];
  /** Flags, as the CLI's parser would produce them (see `flags`). */
  flags: FlagValues;
  /** The tool's `session` argument, if given. */
  session?: string;
}

/** A command context whose output lands in `lines` (stdout and stderr, in order). */
export interface Captured {
  ctx: CommandContext;
  lines: string[];
}

/**
 * Builds the context of a tool call. The session comes from the call's
 * `session`, else the server's `--session`, else `AGENT_PROCS_SESSION`, the
 * config found from the working directory, or `default`.
 */
export function toolContext(serverSession: string | undefined, call: ToolCall): Captured {
  const session = resolveSession(call.session ?? serverSession);
  const lines: string[] = [];
  const ctx: CommandContext = {
    command: call.command,
    args: call.args,
    flags: call.flags,
    json: false,
    paths: sessionPaths(session.name),
    sessionSource: session.source,
    configPath: session.configPath,
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
  };
  return { ctx, lines };
}

/** A typed tool argument: what `flags` turns into a CLI flag value. */
export type ArgValue = string | number | boolean | string[] | undefined;

/**
 * Turns typed tool arguments into CLI flag values: numbers become their
 * decimal text (so the CLI's own checks apply), `false` and `undefined` are
 * left out, and `_` in names becomes `-` (`max_restarts` → `max-restarts`).
 */
export function flags(args: Record<string, ArgValue>): FlagValues {
  const out: FlagValues = {};
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined || v === false) continue;
    out[k.replaceAll("_", "-")] = typeof v === "number" ? String(v) : v;
  }
  return out;
}

/** `{K: V}` as the CLI's repeated `--env K=V` values. */
export function envPairs(env: Record<string, string> | undefined): string[] | undefined {
  return env === undefined ? undefined : Object.entries(env).map(([k, v]) => `${k}=${v}`);
}
