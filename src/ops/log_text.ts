/**
 * Small log readers for operations: a process's last lines as text (for error
 * details) and the matches of one generation (for a wait answered from disk).
 * A missing log reads as no lines; any other read error is reported.
 */

import { readLogs } from "../logs/reader.ts";
import { processLogDir, type SessionPaths } from "../paths.ts";
import type { WireLine } from "../protocol.ts";
import { messageOf } from "../errors.ts";
import { STREAM_NAMES } from "../logs/index_format.ts";

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

/**
 * The lines of generation `gen` on that match `pattern` (every stream, no
 * annotations), found by the store's block search rather than by decoding
 * every line.
 */
export function matchesOf(
  paths: SessionPaths,
  name: string,
  gen: number,
  pattern: { pattern: string; regex: boolean },
): WireLine[] {
  return readLogs(processLogDir(paths, name), {
    streams: [...STREAM_NAMES],
    minGeneration: gen,
    grep: pattern,
  }).filter((l) => !l.annotation);
}

/** Sequence number of the newest line of a process, any stream (0 when it has none). */
export function lastSeq(paths: SessionPaths, name: string): number {
  const l = readLogs(processLogDir(paths, name), { streams: [...STREAM_NAMES], tail: 1 });
  return l.length ? l[0].seq : 0;
}
