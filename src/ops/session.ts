/**
 * Session resolution, the same for every command: `--session`, then
 * `AGENT_PROCS_SESSION`, then the `session:` of the config file found from the
 * current directory, else `default`. Reads the config without the YAML parser
 * (it is on every command's start-up path).
 */

import { findConfig, peekSession } from "../config/find.ts";
import { checkSessionName } from "../paths.ts";

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
