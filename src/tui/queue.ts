/**
 * The app's queue of backend events between frames. Consecutive `lines`
 * events of one process merge into one, so a flood costs one reducer step
 * per frame instead of one per event.
 */

import type { UiEvent } from "./backend.ts";
import { MAX_LINES } from "./buffer.ts";

/** A queued backend event; merged `lines` may have dropped their oldest lines (`dropped` counts them). */
export interface Queued {
  event: UiEvent;
  dropped: number;
}

/**
 * Queues a backend event, merging consecutive `lines` of one process into one
 * (amortized O(lines)). A merged batch never holds more than 4 * MAX_LINES
 * (it is cut back to the newest 2 * MAX_LINES): older lines could not stay
 * in the window anyway, and remain on disk.
 */
export function enqueue(queue: Queued[], e: UiEvent): void {
  const last = queue[queue.length - 1];
  if (e.kind !== "lines" || last?.event.kind !== "lines" || last.event.name !== e.name) {
    queue.push({ event: e.kind === "lines" ? { ...e, lines: e.lines.slice() } : e, dropped: 0 });
    return;
  }
  const lines = last.event.lines;
  for (const l of e.lines) lines.push(l);
  if (lines.length > 4 * MAX_LINES) {
    const cut = lines.length - 2 * MAX_LINES;
    lines.splice(0, cut);
    last.dropped += cut;
  }
}
