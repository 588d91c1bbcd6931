/**
 * `completions <bash|zsh|fish|powershell>`: prints a completion script
 * generated from the command table. The hidden form `completions __names`
 * prints the session's process names, one a line, for the scripts to call:
 * from the daemon when it runs, else from saved state (it never starts one).
 */

import type { CommandContext } from "../context.ts";
import { CliError } from "../../errors.ts";
import { COMMANDS, GLOBAL_FLAGS } from "../table.ts";
import { VERSION } from "../../version.ts";
import {
  completionModel,
  completionScript,
  NAMES_ARG,
  parseShell,
  SHELLS,
} from "../completions/mod.ts";
import { processNames } from "../../ops/status.ts";

/** Runs `completions`. */
export async function run(ctx: CommandContext): Promise<number> {
  const what = ctx.args[0];
  if (what === NAMES_ARG) {
    for (const name of await processNames(ctx.op)) ctx.out(name);
    return 0;
  }
  const shell = parseShell(what);
  if (!shell) {
    throw new CliError(`completions: unknown shell ${JSON.stringify(what)}`, {
      hint: `one of: ${SHELLS.join(", ")}`,
    });
  }
  ctx.out(completionScript(shell, completionModel(COMMANDS, GLOBAL_FLAGS), VERSION).trimEnd());
  return 0;
}
