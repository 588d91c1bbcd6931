/** `setup-agent [--client NAME] [--dry-run]`: presents the `setup-agent` operation. */

import { type CommandContext, options } from "../context.ts";
import { setupAgent } from "../../ops/setup_agent.ts";
import { SETUP_AGENT_OPTIONS } from "../../ops/options.ts";
import { setupAgentLines } from "../../present/formats_text.ts";

/** Runs `setup-agent`. */
export async function run(ctx: CommandContext): Promise<number> {
  const r = await setupAgent(options(ctx, SETUP_AGENT_OPTIONS), ctx.op);
  if (ctx.json) ctx.out(JSON.stringify(r));
  else for (const l of setupAgentLines(r)) ctx.out(l);
  return 0;
}
