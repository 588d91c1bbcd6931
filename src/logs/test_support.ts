/** Helpers shared by the log module's tests: temp dirs, encoding, a seeded random source. */

import { readLogs } from "./reader.ts";

/** Runs `fn` with a fresh temp directory, removed afterwards. */
export async function withTempDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "agent-procs-logs-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** UTF-8 bytes of a string. */
export function enc(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Every line of both streams as `stream:text` strings, in sequence order. */
export function allText(dir: string): string[] {
  return readLogs(dir, { streams: ["stdout", "stderr"] }).map((l) =>
    `${l.stream === "stdout" ? "o" : "e"}:${l.text}`
  );
}

/** A small deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
