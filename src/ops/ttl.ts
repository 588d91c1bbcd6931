/**
 * The idle TTL a `run` or `up` call gives its session: `--ttl DURATION`
 * (`3s`, `10m`, `1h`; a bare number is seconds; 0 clears), else
 * `AGENT_PROCS_TTL` from the caller's environment, else nothing (the
 * session's TTL stays as it is). Sent to the daemon as `set_ttl`.
 */

import { CliError } from "../errors.ts";
import { parseDuration } from "../config/values.ts";
import { request } from "../client/connect.ts";
import { type OpContext, reqOpts } from "./context.ts";

/** The TTL in ms (0 clears) from the option or `AGENT_PROCS_TTL`; undefined when neither is set. */
export function resolveTtl(
  option: string | undefined,
  env: Record<string, string>,
): number | undefined {
  const raw = option ?? env.AGENT_PROCS_TTL;
  if (raw === undefined || raw.trim() === "") return undefined;
  const what = option !== undefined ? "--ttl" : "AGENT_PROCS_TTL";
  const text = raw.trim();
  const parsed = /^\d+(\.\d+)?$/.test(text)
    ? parseDuration(Number(text), 1000, 0)
    : parseDuration(text, 1000, 0);
  if (!parsed.ok) throw new CliError(`${what}: ${parsed.message}`);
  return parsed.value;
}

/** Sets the session's idle TTL (starts the daemon if needed). */
export async function sendTtl(ctx: OpContext, ms: number): Promise<void> {
  await request(
    ctx.paths,
    { type: "set_ttl", ms },
    reqOpts(ctx, {
      autostart: true,
      timeoutMs: 10_000,
    }),
  );
}
