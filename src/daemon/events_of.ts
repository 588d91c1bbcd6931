/**
 * Which lifecycle events (SPEC §12) one step of a record produced: derived
 * from the record before and after the step and the event that caused it, so
 * the event file says exactly what `status` shows. Pure.
 */

import type { EventDetail, EventType } from "../events/types.ts";
import type { LifeEvent, ProcRecord } from "./lifecycle.ts";

/** An event to record: its type, the record it is about, and its details. */
export interface RecordedEvent {
  rec: ProcRecord;
  type: EventType;
  details: Record<string, EventDetail>;
}

/** The events of the step `before` → `after` caused by `ev`. */
export function lifecycleEvents(
  before: ProcRecord,
  after: ProcRecord,
  ev: LifeEvent,
): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  const add = (type: EventType, details: Record<string, EventDetail> = {}) =>
    out.push({ rec: after, type, details });
  const was = before.phase;
  const now = after.phase;
  if (ev.type === "spawned" && now.kind === "running" && was.kind === "starting") {
    add("spawned", { pid: now.pid, generation: after.generation, cause: was.cause });
  }
  if (ev.type === "ready" && after.ready === true && before.ready !== true) add("ready");
  if (ev.type === "fileChanged" && after !== before) add("file-changed", { path: ev.path });
  if ((ev.type === "exited" || ev.type === "spawnFailed") && was.kind !== "stopping") {
    const exit = after.lastExit;
    const failure = after.lastFailure?.generation === before.generation ? after.lastFailure : null;
    add("exited", {
      code: exit?.code ?? null,
      signal: exit?.signal ?? null,
      first_line: failure?.headline ?? null,
    });
  }
  if (now.kind === "restarting" && was.kind !== "restarting") {
    add("restarting", {
      delay_ms: now.delayMs,
      attempt: after.restartCount,
      max: after.spec.maxRestarts,
    });
  }
  if (now.kind === "failed" && was.kind !== "failed") add("failed");
  if (now.kind === "stopped" && was.kind !== "stopped" && before.generation > 0) add("stopped");
  return out;
}
