/**
 * What a command implementation receives: its parsed arguments and flags,
 * the resolved session paths, and typed accessors that turn bad flag values
 * into usage errors.
 */

import { CliError } from "../errors.ts";
import type { SessionPaths } from "../paths.ts";

/** Parsed flag values. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** The context of one command invocation. */
export interface CommandContext {
  /** Command name, e.g. `stop-all`. */
  command: string;
  args: string[];
  flags: FlagValues;
  json: boolean;
  /** Session paths (resolved lazily: creating nothing). */
  paths: SessionPaths;
  /** Where the session name came from. */
  sessionSource: "flag" | "env" | "config" | "default";
  /** The config file the session was found in, if any. */
  configPath: string | null;
  /** Writes a line to stdout. */
  out(line: string): void;
  /** Writes a line to stderr. */
  err(line: string): void;
}

/** A string flag, or undefined. */
export function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.flags[name];
  return typeof v === "string" ? v : undefined;
}

/** A boolean flag. */
export function bool(ctx: CommandContext, name: string): boolean {
  return ctx.flags[name] === true;
}

/** A repeatable string flag. */
export function list(ctx: CommandContext, name: string): string[] {
  const v = ctx.flags[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}

/** A non-negative integer flag, or the default. */
export function int(ctx: CommandContext, name: string, def: number): number {
  const v = str(ctx, name);
  if (v === undefined) return def;
  if (!/^\d+$/.test(v)) {
    throw new CliError(`--${name} expects a whole number, got ${JSON.stringify(v)}`);
  }
  return Number(v);
}

/** A duration in seconds (may be fractional) as ms, or the default. */
export function seconds(ctx: CommandContext, name: string, defMs: number): number {
  const v = str(ctx, name);
  if (v === undefined) return defMs;
  if (!/^\d+(\.\d+)?$/.test(v)) {
    throw new CliError(`--${name} expects seconds, got ${JSON.stringify(v)}`);
  }
  return Math.round(Number(v) * 1000);
}
