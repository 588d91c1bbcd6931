/**
 * `events`: the session's lifecycle events from its event file (no daemon
 * needed), and following that file for new ones (`--follow`, `wait --event`).
 * Following tails the file the daemon appends to, so it needs no request of
 * its own and sees exactly what was recorded.
 */

import { CliError } from "../errors.ts";
import { parseSince } from "../logs/pattern.ts";
import { eventsPath, readEvents } from "../events/store.ts";
import { decodeEvent, type EventType, isEventType, type ProcEvent } from "../events/types.ts";
import type { OpContext } from "./context.ts";
import type { OptionValues } from "./convert.ts";
import type { EVENTS_OPTIONS } from "./options.ts";

/** Input of `events`: process names (all when none) plus options. */
export type EventsInput = { names?: string[] } & OptionValues<typeof EVENTS_OPTIONS>;

/** Result of `events`. */
export interface EventsResult {
  events: ProcEvent[];
}

/** How often a follower looks for new events (ms). */
const POLL_MS = 100;

/** The recorded events, oldest first. */
export function events(input: EventsInput, ctx: OpContext): EventsResult {
  let sinceMs: number | undefined;
  if (input.since !== undefined) {
    const s = parseSince(input.since, Date.now());
    if (s.kind === "error") throw new CliError(s.message);
    if (s.kind !== "time") throw new CliError(`--since ${input.since} does not apply to events`);
    sinceMs = s.ms;
  }
  return { events: readEvents(eventsPath(ctx.paths), { names: input.names, sinceMs }) };
}

/** Parses `TYPE[,TYPE...]`; a usage error names an unknown type. */
export function eventTypes(spec: string): EventType[] {
  const types = spec.split(",").map((t) => t.trim()).filter(Boolean);
  const bad = types.filter((t) => !isEventType(t));
  if (bad.length || !types.length) {
    throw new CliError(`--event: unknown event type ${JSON.stringify(bad[0] ?? spec)}`, {
      hint:
        "types: spawned, ready, exited, restarting, failed, stopped, file-changed, crash-loop, " +
        "awaiting-input, browser-error, port-conflict",
    });
  }
  return types as EventType[];
}

function fileSize(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0;
    throw e;
  }
}

function readFrom(path: string, offset: number): { text: string; end: number } {
  const f = Deno.openSync(path, { read: true });
  try {
    const size = f.statSync().size;
    if (size <= offset) return { text: "", end: size };
    f.seekSync(offset, Deno.SeekMode.Start);
    const buf = new Uint8Array(size - offset);
    let n = 0;
    while (n < buf.length) {
      const r = f.readSync(buf.subarray(n));
      if (r === null) break;
      n += r;
    }
    return { text: new TextDecoder().decode(buf.subarray(0, n)), end: offset + n };
  } finally {
    f.close();
  }
}

/**
 * Calls `onEvent` for each event recorded from now on that passes `accept`,
 * until `onEvent` returns true, the timeout (ms; 0 = none), or `ctx.signal`.
 * Resolves with whether `onEvent` ended it.
 */
export async function followEvents(
  ctx: OpContext,
  timeoutMs: number,
  accept: (e: ProcEvent) => boolean,
  onEvent: (e: ProcEvent) => boolean | void,
): Promise<boolean> {
  const path = eventsPath(ctx.paths);
  let offset = fileSize(path);
  let partial = "";
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  while (Date.now() < deadline && !ctx.signal?.aborted) {
    const size = fileSize(path);
    if (size < offset) offset = 0; // trimmed and rewritten: start over at its start
    const { text, end } = size > offset ? readFrom(path, offset) : { text: "", end: offset };
    offset = end;
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const e = decodeEvent(line);
      if (e && accept(e) && onEvent(e) === true) return true;
    }
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
  return false;
}

/** The first event of `types` for process `name` after the call; a timeout error otherwise. */
export async function waitEvent(
  ctx: OpContext,
  name: string,
  types: EventType[],
  timeoutMs: number,
): Promise<ProcEvent | null> {
  let found: ProcEvent | null = null;
  const ended = await followEvents(
    ctx,
    timeoutMs,
    (e) => (e.name === name || e.id === name) && types.includes(e.type),
    (e) => {
      found = e;
      return true;
    },
  );
  if (ended) return found;
  if (ctx.signal?.aborted) return null;
  throw new CliError(
    `timeout after ${timeoutMs / 1000}s waiting for ${types.join("/")} of ${name}`,
  );
}
