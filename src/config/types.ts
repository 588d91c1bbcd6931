/**
 * Types of the config loader's results: the loaded stack (`StackConfig`), a
 * config error with its place in a file (`ConfigError`), and the result union.
 */

import type { ProcessSpec } from "../model.ts";

/** A 1-based line and column in a file. */
export interface Pos {
  line: number;
  col: number;
}

/** One problem with a config (or an env file it names), with its place when known. */
export interface ConfigError {
  /** Absolute path of the file the problem is in. */
  file: string;
  /** 1-based line, or null when the problem is the file as a whole. */
  line: number | null;
  /** 1-based column, or null when the problem is the file as a whole. */
  col: number | null;
  /** What is wrong, one line, no trailing period. */
  message: string;
}

/** A loaded and validated config file. */
export interface StackConfig {
  /** Absolute path of the config file. */
  path: string;
  /** Absolute directory of the config file (relative paths start here). */
  dir: string;
  /** The top-level `session:`, or null. */
  session: string | null;
  /** The top-level `proxy:` (default false). */
  proxy: boolean;
  /** The top-level `proxy_port:`, or null for "first free in 9090-9190". */
  proxyPort: number | null;
  /** The top-level `idle_ttl:` in ms (0 clears the session's TTL), or null/absent when unset. */
  idleTtlMs?: number | null;
  /** Every process, complete, in file order. */
  processes: ProcessSpec[];
  /**
   * Per process name: the variables the config itself sets (env files and
   * `env`, both levels), without the base env; the same as each spec's
   * `userEnv`, kept by name for callers that look it up that way.
   */
  userEnv: Record<string, Record<string, string>>;
  /** Per process name: its `image:` (used only by `export`); absent for processes without one. */
  images?: Record<string, string>;
}

/** The result of `loadConfig`: a config, or the first error and all errors found. */
export type ConfigResult =
  | { ok: true; config: StackConfig }
  | { ok: false; error: ConfigError; errors: ConfigError[] };

/** A value with the place it was written. */
export interface At<T> {
  value: T;
  pos: Pos;
}
