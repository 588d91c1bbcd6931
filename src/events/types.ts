/**
 * Lifecycle events of a session (SPEC §12): what happened to which process,
 * when, with the details of each kind. Written by the daemon as its
 * supervisor performs effects; read by `events` and `wait --event`.
 */

/** Every event type. */
export const EVENT_TYPES = [
  "spawned",
  "ready",
  "exited",
  "restarting",
  "failed",
  "stopped",
  "file-changed",
  "crash-loop",
  "awaiting-input",
  "browser-error",
  "port-conflict",
] as const;

/** An event type. */
export type EventType = typeof EVENT_TYPES[number];

/** True when `v` names an event type. */
export function isEventType(v: unknown): v is EventType {
  return typeof v === "string" && (EVENT_TYPES as readonly string[]).includes(v);
}

/** Detail values an event carries (flat, JSON-friendly). */
export type EventDetail = string | number | boolean | null;

/** One event. Details (e.g. `pid`, `code`, `cause`, `path`) are flat keys beside the fixed ones. */
export interface ProcEvent {
  /** ISO time. */
  time: string;
  /** Process name. */
  name: string;
  /** Incarnation id (e.g. `p7`). */
  id: string;
  type: EventType;
  details: Record<string, EventDetail>;
}

/** The JSON line of an event: `{"time","name","id","type",...details}`. */
export function eventJson(e: ProcEvent): string {
  return JSON.stringify({ time: e.time, name: e.name, id: e.id, type: e.type, ...e.details });
}

/** Decodes one JSON line; null when it is not a valid event (e.g. a torn last line). */
export function decodeEvent(line: string): ProcEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null; // torn or garbled line: skipped, never fatal
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const { time, name, id, type, ...rest } = v as Record<string, unknown>;
  if (typeof time !== "string" || typeof name !== "string" || typeof id !== "string") return null;
  if (!isEventType(type)) return null;
  const details: Record<string, EventDetail> = {};
  for (const [k, x] of Object.entries(rest)) {
    if (x === null || ["string", "number", "boolean"].includes(typeof x)) {
      details[k] = x as EventDetail;
    }
  }
  return { time, name, id, type, details };
}

/** The text line of an event: `TIME NAME TYPE k=v ...`. */
export function eventText(e: ProcEvent): string {
  const details = Object.entries(e.details).map(([k, v]) => `${k}=${v === null ? "-" : v}`);
  return [e.time, e.name, e.type, ...details].join(" ");
}
