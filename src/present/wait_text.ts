/** The line `wait` prints for its result (shared by the CLI and the MCP server). */

import type { WaitOutcome } from "../ops/wait.ts";
import { eventText } from "../events/types.ts";

/** `wait`: the matched line, `NAME is ready`, the event, or how it exited. */
export function waitText(name: string, r: WaitOutcome): string {
  if (r.kind === "event") return eventText(r.event);
  if (r.kind === "matched") return r.line.text;
  if (r.kind === "ready") return `${name} is ready`;
  if (r.signal) return `exited with signal ${r.signal}`;
  return `exited with code ${r.exitCode ?? "unknown"}`;
}
