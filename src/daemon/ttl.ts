/**
 * The session's idle TTL: once set (`run/up --ttl`, `AGENT_PROCS_TTL`), the
 * daemon stops every process and exits when no request has reached it for
 * that long. Each request postpones the deadline (`touch`); the last value
 * given wins and 0 clears it. One timer, armed only while a TTL is set, so an
 * idle daemon without a TTL has nothing running.
 */

/** `3s`, `10m`, `2h`, `1500ms`: a TTL as the annotation shows it. Pure. */
export function formatTtl(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** The TTL timer of one daemon. */
export class IdleTtl {
  #ms: number | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expire: (ms: number) => void = () => {};
  #busy: () => boolean = () => false;

  /** Sets what happens at expiry and what counts as busy (then the deadline moves on). */
  configure(expire: (ms: number) => void, busy: () => boolean): void {
    this.#expire = expire;
    this.#busy = busy;
  }

  /** The TTL in ms, or null. */
  get ms(): number | null {
    return this.#ms;
  }

  /** Sets the TTL (0 or null clears it) and restarts the countdown. */
  set(ms: number | null): void {
    this.#ms = ms && ms > 0 ? ms : null;
    this.touch();
  }

  /** A request arrived: the countdown starts again. */
  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const ms = this.#ms;
    if (ms === null) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#busy()) return this.touch();
      this.#expire(ms);
    }, ms);
  }

  /** Cancels the countdown (the daemon is exiting). */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#ms = null;
  }
}
