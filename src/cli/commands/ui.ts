/** `ui`: the full-screen terminal UI of the session (needs a running daemon and a terminal). */

import type { CommandContext } from "../context.ts";
import { CliError } from "../../errors.ts";
import { tryConnect } from "../../client/connect.ts";

/** Runs `ui`. */
export async function run(ctx: CommandContext): Promise<number> {
  const conn = await tryConnect(ctx.op.paths.socket);
  if (!conn) {
    throw new CliError(`no daemon is running for session ${ctx.op.paths.session}`, {
      hint: "start something first: agent-procs run CMD, or agent-procs up",
    });
  }
  conn.close();
  if (!Deno.stdin.isTerminal() || !Deno.stdout.isTerminal()) {
    throw new CliError("the terminal UI needs an interactive terminal", {
      hint: "use agent-procs status / logs --follow from scripts",
    });
  }
  const { runUi } = await import("../../tui/app.ts");
  const { daemonBackend } = await import("../ui_backend.ts");
  await runUi(daemonBackend(ctx.op));
  return 0;
}
