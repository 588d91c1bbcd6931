/**
 * Where the supervisor's lifecycle events go: the session's event file (or an
 * injected sink), stamped with the supervisor's clock. Events a step causes
 * indirectly (a crash loop found while handling an exit) are deferred and
 * recorded after the step's own events, so the file keeps cause before effect.
 * A write failure goes to the daemon log; recording never throws.
 */

import { messageOf } from "../errors.ts";
import { EventLog, eventsPath } from "../events/store.ts";
import type { SessionPaths } from "../paths.ts";
import type { Clock, EventSink } from "./deps.ts";
import type { RecordedEvent } from "./events_of.ts";

/** Records lifecycle events for one supervisor. */
export class EventRecorder {
  readonly #sink: EventSink | null;
  readonly #pending: RecordedEvent[] = [];

  constructor(
    paths: SessionPaths,
    sink: EventSink | undefined,
    private readonly clock: Clock,
    private readonly log: (msg: string) => void,
  ) {
    this.#sink = sink ?? this.#open(paths);
  }

  /** Appends events now. */
  record(events: RecordedEvent[]): void {
    if (!this.#sink) return;
    for (const e of events) {
      try {
        this.#sink.append({
          time: new Date(this.clock.now()).toISOString(),
          name: e.rec.spec.name,
          id: e.rec.id,
          type: e.type,
          details: e.details,
        });
      } catch (err) {
        this.log(`cannot record an event: ${messageOf(err)}`);
      }
    }
  }

  /** Keeps an event to record after the current step's own events (`flush`). */
  defer(e: RecordedEvent): void {
    this.#pending.push(e);
  }

  /** Closes the event file (daemon exit). */
  close(): void {
    this.#sink?.close?.();
  }

  /** Records the deferred events. */
  flush(): void {
    this.record(this.#pending.splice(0));
  }

  #open(paths: SessionPaths): EventSink | null {
    try {
      return new EventLog(eventsPath(paths));
    } catch (e) {
      this.log(`cannot open the event file: ${messageOf(e)}`);
      return null;
    }
  }
}
