/**
 * Trailing debounce of change bursts: one callback `ms` after the last hit,
 * carrying the first path of the burst and how many hits it held.
 */

/** Collects hits and fires once per burst, after `ms` of quiet. */
export class Debouncer {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #first: string | null = null;
  #count = 0;
  readonly #ms: number;
  readonly #fire: (path: string, count: number) => void;

  /** `fire` runs once per burst, `ms` after its last hit, with its first path and hit count. */
  constructor(ms: number, fire: (path: string, count: number) => void) {
    this.#ms = ms;
    this.#fire = fire;
  }

  /** Records `count` changes of `path` and restarts the quiet period. */
  hit(path: string, count = 1): void {
    if (this.#first === null) this.#first = path;
    this.#count += count;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(), this.#ms);
  }

  /** Drops the pending burst, if any (used on close). */
  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#first = null;
    this.#count = 0;
  }

  #flush(): void {
    const path = this.#first;
    const count = this.#count;
    this.cancel();
    if (path !== null) this.#fire(path, count);
  }
}
