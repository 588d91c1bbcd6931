/**
 * The `send` request: write text (and key bytes) to the stdin pipe of a
 * process, optionally closing it afterwards. Unknown targets fail with
 * `not_found`; a process without a pipe, one that is not running, or one that
 * does not read fails with the reason.
 */

import type { Request } from "../protocol.ts";
import type { ConnContext } from "./server.ts";
import type { DaemonContext } from "./context.ts";

/** Handles `send`: the one final reply is the bytes written, or why not. */
export async function send(
  daemon: DaemonContext,
  req: Extract<Request, { type: "send" }>,
  ctx: ConnContext<"send">,
): Promise<void> {
  const rec = daemon.sup.resolve(req.target);
  if (!rec) return ctx.fail("not_found", `no process named ${req.target}`);
  const name = rec.spec.name;
  const out = await daemon.sup.input.send(rec.spec, new TextEncoder().encode(req.text), req.eof);
  if (!out.ok) return ctx.fail("failed", out.message);
  ctx.reply({ name, bytes: out.bytes, eof: out.closed });
}
