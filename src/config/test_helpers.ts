/**
 * Test helpers for the config tests (not a test file itself): write a config
 * (and other files) into a fresh temp dir, load it, and clean up.
 */

import { loadConfig } from "./load.ts";
import type { ConfigError, ConfigResult } from "./types.ts";

/** Files to create: path relative to the temp dir -> text. */
export type Files = Record<string, string>;

/**
 * Creates a temp dir with `files` (the config at `agent-procs.yaml` unless
 * `configName` says otherwise), loads the config with `baseEnv`, removes the
 * dir, and returns the result with the dir's path.
 */
export async function loadInTemp(
  files: Files,
  baseEnv: Record<string, string> = {},
  configName = "agent-procs.yaml",
): Promise<{ dir: string; result: ConfigResult }> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "ap-config-" }));
  try {
    for (const [rel, text] of Object.entries(files)) {
      const path = `${dir}/${rel}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(path, text);
    }
    return { dir, result: await loadConfig(`${dir}/${configName}`, baseEnv) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Loads a single config text and returns its first error as `LINE:COL: message` (throws if it loaded). */
export async function firstError(yaml: string, extra: Files = {}): Promise<string> {
  const { result } = await loadInTemp({ "agent-procs.yaml": yaml, ...extra });
  if (result.ok) {
    throw new Error(`expected an error, the config loaded: ${JSON.stringify(result.config)}`);
  }
  const e = result.error;
  return e.line === null ? e.message : `${e.line}:${e.col}: ${e.message}`;
}

/** Loads a config that must be valid and returns it (throws with the error otherwise). */
export async function loadOk(files: Files, baseEnv: Record<string, string> = {}) {
  const { dir, result } = await loadInTemp(files, baseEnv);
  if (!result.ok) throw new Error(`expected a config, got ${JSON.stringify(result.errors)}`);
  return { dir, config: result.config };
}

/** The error side of a result (throws when the config loaded). */
export function errorsOf(r: ConfigResult): { error: ConfigError; errors: ConfigError[] } {
  if (r.ok) throw new Error(`expected an error, the config loaded: ${JSON.stringify(r.config)}`);
  return r;
}
