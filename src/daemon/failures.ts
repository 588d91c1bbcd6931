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
import {
  CRASH_LOOP_FAILURES,
  type Effect,
  type ExitInfo,
  type Failure,
  type FailureReason,
  isLive,
  type LifeEvent,
  type ProcRecord,
} from "./lifecycle.ts";
import type { EventRecorder } from "./event_recorder.ts";
import { markerOwner } from "../ports/marker.ts";
import { messageOf } from "../errors.ts";

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

/** What `handleFailure` needs from the supervisor. */
export interface FailureHost {
  get(name: string): ProcRecord | undefined;
  dispatch(name: string, ev: LifeEvent): void;
  annotate(name: string, text: string): void;
  events: EventRecorder;
  /** The last `n` output lines of one incarnation. */
  readTail(name: string, generation: number, n: number): string[];
  findHolder(port: number): Promise<PortHolder | null>;
  /** `process NAME of session S` when `pgid` is one of the session's groups, else null. */
  ownerOf(pgid: number): string | null;
  log(msg: string): void;
}

/**
 * The supervisor's `failed` effect: records the digest of the failed
 * incarnation (a `failure` event), annotates and records a crash loop the
 * moment it starts, and, when the output names a port in use, looks up its
 * holder in the background and records the hint (`failureHint`).
 */
export function handleFailure(
  host: FailureHost,
  name: string,
  eff: Extract<Effect, { type: "failed" }>,
): void {
  const rec = host.get(name);
  if (!rec) return;
  const lines = host.readTail(name, eff.generation, DIGEST_SOURCE_LINES);
  const failure = buildFailure(rec, eff.generation, eff.reason, eff.exit, eff.at, lines);
  host.dispatch(name, { type: "failure", failure });
  const now = host.get(name);
  if (now && now.quickFailures === CRASH_LOOP_FAILURES && isLive(now.phase)) {
    const next = now.phase.kind === "restarting" ? now.phase.delayMs : null;
    host.annotate(name, crashLoopNote(now.quickFailures, next));
    host.annotate(name, failure.headline);
    const details = { failures: now.quickFailures, first_line: failure.headline };
    // Recorded after the exit and restart events of the step that caused it.
    host.events.defer({ rec: now, type: "crash-loop", details });
  }
  const port = conflictPort(rec, failure.excerpt);
  if (port === null) return;
  void host.findHolder(port).then((holder) => {
    // Another session's process is named by the marker in its environment.
    const owner = holder
      ? host.ownerOf(holder.pgid ?? holder.pid) ?? markerOwner(holder.pid)
      : null;
    host.dispatch(name, {
      type: "failureHint",
      generation: eff.generation,
      hint: portHint(port, holder, owner),
    });
    const cur = host.get(name);
    const details = { port, holder: holder?.pid ?? null };
    if (cur) host.events.record([{ rec: cur, type: "port-conflict", details }]);
  }, (e) => host.log(`port holder lookup failed: ${messageOf(e)}`));
}

/** `process NAME of session S` when `pgid` is one of the session's live process groups. Pure. */
export function groupOwner(
  records: Iterable<ProcRecord>,
  session: string,
  pgid: number,
): string | null {
  for (const r of records) {
    const p = r.phase;
    if ((p.kind === "running" || p.kind === "stopping") && p.pid === pgid) {
      return `process ${r.spec.name} of session ${session}`;
    }
  }
  return null;
}
