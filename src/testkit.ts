/**
 * Test fixtures shared by unit tests (not a test file itself): a complete,
 * valid status row, and a small seeded pseudo-random generator for property
 * tests. Every property test prints its seed on failure; set `PROPERTY_SEED`
 * to replay a failing run, `PROPERTY_RUNS` to try more cases.
 */

import type { ProcessInfo } from "./model.ts";
import { fakeInfo } from "./tui/fake_backend.ts";

/**
 * A running process's status row (the TUI fake backend's row, with the values
 * the protocol tests check), with `overrides` applied (extra keys allowed).
 */
export function sampleRow(overrides: Record<string, unknown> = {}): ProcessInfo {
  return {
    ...fakeInfo("web", {
      id: "p1",
      pid: 42,
      uptime_secs: 3,
      started_at: "2026-01-01T00:00:00.000Z",
      command: "npm run dev",
      cwd: "/app",
      port: 3000,
    }),
    ...overrides,
  } as ProcessInfo;
}

/** A deterministic source of random choices (mulberry32). */
export class Prng {
  #state: number;

  /** Starts the sequence at `seed` (any 32-bit integer). */
  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** `n` random bytes, biased towards bytes that matter to text and JSON framing. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    const special = [0x0a, 0x0d, 0x00, 0x22, 0x5c, 0x7b, 0x7d, 0xc3, 0xe2, 0xf0, 0xff, 0x80];
    for (let i = 0; i < n; i++) out[i] = this.chance(0.2) ? this.pick(special) : this.int(0, 255);
    return out;
  }
}

/** The seed for this run: `PROPERTY_SEED`, else a fresh one. */
export function propertySeed(): number {
  const fixed = Deno.env.get("PROPERTY_SEED");
  return fixed ? Number(fixed) : Math.floor(Math.random() * 2 ** 31);
}

/** How many cases to try: `PROPERTY_RUNS`, else `fallback`. */
export function propertyRuns(fallback: number): number {
  const n = Number(Deno.env.get("PROPERTY_RUNS"));
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Runs `body` for `runs` cases from one seed; a failure names the seed and case to replay it. */
export async function forAll(
  what: string,
  runs: number,
  body: (rng: Prng, i: number) => void | Promise<void>,
): Promise<void> {
  const seed = propertySeed();
  const rng = new Prng(seed);
  for (let i = 0; i < runs; i++) {
    try {
      await body(rng, i);
    } catch (e) {
      throw new Error(
        `${what}: case ${i} failed (replay with PROPERTY_SEED=${seed}): ${
          e instanceof Error ? e.stack ?? e.message : String(e)
        }`,
        { cause: e },
      );
    }
  }
}
