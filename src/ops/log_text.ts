/**
 * Small log readers for operations: a process's last lines as text (for error
 * details) and the lines of one generation (for a wait answered from disk).
 * A missing log reads as no lines; any other read error is reported.
 */

import { readLogs } from "../logs/reader.ts";
import { processLogDir, type SessionPaths } from "../paths.ts";
import type { WireLine } from "../protocol.ts";
import { messageOf } from "../errors.ts";

/**
 * The last `n` lines (both streams) of a process, as text; empty when there
 * is no log. Used inside error reports, so a read error becomes a line saying
 * so instead of hiding the error being reported.
 */
export function tailText(paths: SessionPaths, name: string, n: number): string[] {
  try {
    const lines = readLogs(processLogDir(paths, name), { streams: ["stdout", "stderr"], tail: n });
    return lines.map((l) => l.text);
  } catch (e) {
    return [`(cannot read the log of ${name}: ${messageOf(e)})`];
  }
}

/** Every line (both streams) from generation `gen` on. */
export function generationLines(paths: SessionPaths, name: string, gen: number): WireLine[] {
  return readLogs(processLogDir(paths, name), {
    streams: ["stdout", "stderr"],
    minGeneration: gen,
  });
}

/** Sequence number of the newest line of a process (0 when it has none). */
export function lastSeq(paths: SessionPaths, name: string): number {
  const l = readLogs(processLogDir(paths, name), { streams: ["stdout", "stderr"], tail: 1 });
  return l.length ? l[0].seq : 0;
}
