/** Writing presenter lines (`present/text.ts`) to the CLI's stdout and stderr. */

import type { OutLine } from "../present/text.ts";
import type { CommandContext } from "./context.ts";

/** Writes each line to stdout, or stderr when it says so. */
export function emit(ctx: CommandContext, lines: OutLine[]): void {
  for (const l of lines) (l.stderr ? ctx.err : ctx.out)(l.text);
}
