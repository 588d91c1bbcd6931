/**
 * Writing the supervisor's state file, paced: after a step (a microtask), or,
 * when the last save is recent, once a gap has passed: `SAVE_GAP_MS`, or ten
 * times what the last save took when that is longer, so saving takes at most
 * about a tenth of the daemon's time however big the state grows (with 300
 * processes a save writes ~700 KB and takes 5 ms or more). A lone change is
 * on disk at once, and a burst (an `up` of 300 processes makes ~900 changes,
 * each save writing every record) costs one save per gap instead of one per
 * change. A failed save is logged when it starts and ends and kept as the
 * session's warning until a save works.
 */

import { messageOf } from "../errors.ts";
import { type SavedState, saveState } from "./state_file.ts";

/** Shortest time between two paced saves (ms). */
export const SAVE_GAP_MS = 20;
/** A paced save waits at least this many times as long as the last save took. */
export const SAVE_GAP_FACTOR = 10;

/** Saves one state file for a supervisor. */
export class StateSaver {
  #error: string | null = null;
  #queued = false;
  #last = -Infinity;
  /** How long the last save took (ms). */
  #took = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => SavedState,
    private readonly log: (msg: string) => void,
  ) {}

  /** Why the last save failed, or null when it worked. */
  get error(): string | null {
    return this.#error;
  }

  /** Saves after the current step, or once the gap since the last save has passed. */
  schedule(): void {
    if (this.#queued || this.#closed) return;
    this.#queued = true;
    const save = () => {
      this.#queued = false;
      if (!this.#closed) this.saveNow();
    };
    // Real time, not the lifecycle clock: this paces disk writes, it is no lifecycle timer.
    const gap = Math.max(SAVE_GAP_MS, this.#took * SAVE_GAP_FACTOR);
    const wait = this.#last + gap - performance.now();
    if (wait <= 0) queueMicrotask(save);
    else {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        save();
      }, wait);
    }
  }

  /** Saves now (with `daemonPid` recorded); a failure is logged and kept in `error`. */
  saveNow(daemonPid: number | null = Deno.pid): void {
    this.#last = performance.now();
    try {
      saveState(this.file, { ...this.snapshot(), daemonPid });
      this.#took = performance.now() - this.#last;
    } catch (e) {
      const message = messageOf(e);
      if (message !== this.#error) this.log(`cannot save state: ${message}`);
      this.#error = message;
      return;
    }
    if (this.#error !== null) this.log("state saved again");
    this.#error = null;
  }

  /** No paced save happens after this (the daemon's last save is explicit). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }
}
