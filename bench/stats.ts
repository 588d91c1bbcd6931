/**
 * Small helpers the benchmarks share: medians, a one-line summary, timing an
 * async call, waiting for a condition with millisecond precision.
 */

/** The median of `xs`. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** `median M ms (min A, max B, n=N)`. */
export function fmt(xs: number[]): string {
  return `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${
    Math.max(...xs).toFixed(1)
  }, n=${xs.length})`;
}

/** Milliseconds `fn` took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Resolves with `performance.now()` once `done()` holds, checked every millisecond (a backoff
 * would add up to its longest pause to the time measured); throws after `timeoutMs`.
 */
export async function whenTrue(
  done: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
  return performance.now();
}
