/**
 * What the supervisor does when an incarnation fails (SPEC §10): build the
 * digest from that incarnation's last output, look up who holds a port the
 * output says is in use, and word the crash-loop annotation. The supervisor
 * calls these from its `failed` effect and records the result through
 * lifecycle events, so `status`, waits and events all see the same failure.
 */

import { buildDigest } from "../digest/digest.ts";
import { portInUse } from "../digest/port_hint.ts";
import type { PortHolder } from "../ports/holder.ts";
import type { ExitInfo, Failure, FailureReason, ProcRecord } from "./lifecycle.ts";

/** Output lines a digest is chosen from. */
export const DIGEST_SOURCE_LINES = 200;

/** The failure of `rec`'s incarnation `generation`, from its last output lines. */
export function buildFailure(
  rec: ProcRecord,
  generation: number,
  reason: FailureReason,
  exit: ExitInfo,
  at: number,
  lines: string[],
): Failure {
  const source = reason === "spawn-failed" && rec.spawnError ? [rec.spawnError] : lines;
  const digest = buildDigest(source);
  return {
    reason,
    generation,
    exitCode: exit.code,
    signal: exit.signal,
    at,
    excerpt: digest.lines,
    headline: digest.headline,
    hint: null,
  };
}

/** The port a failure's output says is in use (or the process's own port), or null. */
export function conflictPort(rec: ProcRecord, lines: string[]): number | null {
  return portInUse(lines, rec.spec.port)?.port ?? null;
}

/** The hint line for a port held by `holder`; `owner` names an agent-procs process holding it. */
export function portHint(port: number, holder: PortHolder | null, owner: string | null): string {
  if (!holder) return `hint: port ${port} is in use (its holder could not be found)`;
  const ours = owner ? `, ${owner}` : "";
  return `hint: port ${port} is held by pid ${holder.pid} (${holder.command})${ours}`;
}

/** The annotation written when a process enters a crash loop. */
export function crashLoopNote(failures: number, nextInMs: number | null): string {
  const next = nextInMs === null ? "" : `; next restart in ${Math.ceil(nextInMs / 1000)}s`;
  return `Crash loop: ${failures} failures within 10s of starting${next}`;
}
