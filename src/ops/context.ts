/**
 * What every operation gets besides its input: the session (resolved by the
 * same rules for every presenter: `--session`, then `AGENT_PROCS_SESSION`,
 * then the `session:` of the config found from the working directory, read
 * without the YAML parser, else `default`), the caller's working directory and
 * environment (a `run` inherits them), a cancellation signal, and where the
 * daemon's warnings go. Presenters build one per call: the CLI from its flags
 * and process, the MCP server from a tool call.
 */

import { checkSessionName, type SessionPaths, sessionPaths } from "../paths.ts";
import { findConfig, peekSession } from "../config/find.ts";
import type { RequestOptions } from "../client/connect.ts";

/** A resolved session. */
export interface ResolvedSession {
  name: string;
  source: "flag" | "env" | "config" | "default";
  configPath: string | null;
}

/** Resolves the session name for this invocation; the config is searched from `cwd` up. */
export function resolveSession(flag: string | undefined, cwd: string): ResolvedSession {
  if (flag !== undefined) return { name: checkSessionName(flag), source: "flag", configPath: null };
  const env = Deno.env.get("AGENT_PROCS_SESSION");
  if (env) return { name: checkSessionName(env), source: "env", configPath: null };
  let configPath: string | null = null;
  try {
    configPath = findConfig(cwd);
  } catch {
    configPath = null;
  }
  if (configPath) {
    try {
      const s = peekSession(Deno.readTextFileSync(configPath));
      if (s) return { name: checkSessionName(s), source: "config", configPath };
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied)) {
        throw e;
      }
    }
  }
  return { name: "default", source: "default", configPath };
}

/** The context of one operation call. */
export interface OpContext {
  /** The session's paths (nothing is created by resolving them). */
  paths: SessionPaths;
  /** How the session was chosen, and the config file found on the way. */
  session: ResolvedSession;
  /** The caller's working directory (relative paths resolve against it). */
  cwd: string;
  /** The caller's environment (a started process inherits it). */
  env: Record<string, string>;
  /** Aborting cancels a long operation (wait, follow, up); it then returns null. */
  signal?: AbortSignal;
  /** Receives each problem the daemon reports (state not saved, capture failing). */
  warn(line: string): void;
}

/** Options for building a context. */
export interface ContextOptions {
  /** An explicit session (flag or tool argument); else env, config, `default`. */
  session?: string;
  cwd?: string;
  env?: Record<string, string>;
  signal?: AbortSignal;
  warn?: (line: string) => void;
}

/** Builds the context of a call: resolves the session from `cwd` unless one is given. */
export function opContext(opts: ContextOptions = {}): OpContext {
  const cwd = opts.cwd ?? Deno.cwd();
  const session = resolveSession(opts.session, cwd);
  const seen = new Set<string>();
  const warn = opts.warn ?? (() => {});
  return {
    paths: sessionPaths(session.name),
    session,
    cwd,
    env: opts.env ?? Deno.env.toObject(),
    signal: opts.signal,
    // A warning repeats in every greeting while it lasts: pass each on once per call.
    warn: (line) => {
      if (seen.has(line)) return;
      seen.add(line);
      warn(line);
    },
  };
}

/** The same context on another session (a config's `session:` chose it). */
export function withSession(ctx: OpContext, name: string): OpContext {
  return {
    ...ctx,
    paths: sessionPaths(name),
    session: { ...ctx.session, name, source: "config" },
  };
}

/** Request options carrying the context's warnings and (optionally) its signal. */
export function reqOpts(
  ctx: OpContext,
  opts: Omit<RequestOptions, "onWarning" | "signal"> & { cancellable?: boolean },
): RequestOptions {
  const { cancellable, ...rest } = opts;
  return { ...rest, onWarning: ctx.warn, signal: cancellable ? ctx.signal : undefined };
}
