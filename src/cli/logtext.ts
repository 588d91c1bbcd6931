/** Small log helpers for commands: last lines as text, lines of one generation. */

import { readLogs } from "../logs/reader.ts";
import { processLogDir, type SessionPaths } from "../paths.ts";
import type { WireLine } from "../protocol.ts";

/** The last `n` lines (both streams) of a process, as text; empty when there is no log. */
export function tailText(paths: SessionPaths, name: string, n: number): string[] {
  try {
    return readLogs(processLogDir(paths, name), { streams: ["stdout", "stderr"], tail: n }).map((
      l,
    ) => l.text);
  } catch {
    return [];
  }
}

/** Every line (both streams) from generation `gen` on. */
export function generationLines(paths: SessionPaths, name: string, gen: number): WireLine[] {
  try {
    return readLogs(processLogDir(paths, name), {
      streams: ["stdout", "stderr"],
      minGeneration: gen,
    });
  } catch {
    return [];
  }
}
