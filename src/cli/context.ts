/**
 * What a command implementation receives: its positional arguments, its
 * parsed flags, the operation context (session, cwd, environment) and the
 * output functions. `options` turns flags into an operation's typed input
 * with the catalogue's checks, before anything is looked up.
 */

import type { OpContext } from "../ops/context.ts";
import { type OptionMap, type OptionValues, readOptions } from "../ops/convert.ts";
import type { OptionSpec } from "../ops/options.ts";
import type { OutLine } from "../present/format.ts";

/** Parsed flag values, by flag name. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** The context of one command invocation. */
export interface CommandContext {
  /** Command name, e.g. `stop-all`. */
  command: string;
  args: string[];
  flags: FlagValues;
  json: boolean;
  /** The context operations run in. */
  op: OpContext;
  /** Writes a line to stdout. */
  out(line: string): void;
  /** Writes a line to stderr. */
  err(line: string): void;
}

/** The typed values of `map`'s options from the command's flags (usage errors exit 1). */
export function options<M extends OptionMap>(ctx: CommandContext, map: M): OptionValues<M> {
  return readOptions(map, (o: OptionSpec) => ctx.flags[o.name], "cli");
}

/** One option's typed value from the command's flags, or undefined. */
export function option<O extends OptionSpec>(
  ctx: CommandContext,
  o: O,
): OptionValues<{ v: O }>["v"] {
  return options(ctx, { v: o }).v;
}

/** Writes each presenter line to stdout, or stderr when it says so. */
export function emit(ctx: CommandContext, lines: OutLine[]): void {
  for (const l of lines) (l.stderr ? ctx.err : ctx.out)(l.text);
}
