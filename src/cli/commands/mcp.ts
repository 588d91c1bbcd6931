/**
 * `mcp`: an MCP server on stdio (Model Context Protocol), so an agent can
 * supervise processes through tools instead of shell calls. The SDK is loaded
 * here only, never on the other commands' start-up path.
 */

import { type CommandContext, option } from "../context.ts";
import { OPT } from "../../ops/options.ts";

/** Runs `mcp` until the client disconnects. */
export async function run(ctx: CommandContext): Promise<number> {
  if (Deno.stdin.isTerminal()) {
    ctx.err("agent-procs MCP server on stdio: register it with an MCP client (see README)");
  }
  const { serveStdio } = await import("../../mcp/server.ts");
  await serveStdio(option(ctx, OPT.session), option(ctx, OPT.stopOnExit) === true);
  return 0;
}
