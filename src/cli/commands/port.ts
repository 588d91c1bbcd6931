/** `port N`: presents the `port` operation as one line or JSON. */

import type { CommandContext } from "../context.ts";
import { parsePort, port } from "../../ops/port.ts";
import { portText } from "../../present/port.ts";

/** Runs `port`. */
export async function run(ctx: CommandContext): Promise<number> {
  const r = await port({ port: parsePort(ctx.args[0]) }, ctx.op);
  ctx.out(ctx.json ? JSON.stringify(r) : portText(r));
  return 0;
}
