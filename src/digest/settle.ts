/**
 * Judging whether a process has settled after a change, and how (`wait
 * --settle`): the last burst of output is the lines since the later of the
 * incarnation's start and the end of the last silence of at least `quietMs`
 * before the latest output; the verdict is `error` when that burst has error
 * lines or the process ended badly, else `ok`. Pure.
 */

import { buildDigest, type Digest, isErrorLine } from "./digest.ts";

/** A line with its time, as the log store keeps it. */
export interface TimedLine {
  ts: number;
  text: string;
  /** Lines written by agent-procs itself (annotations) are never errors. */
  annotation: boolean;
}

/** How the process stands when it is judged. */
export type Standing =
  | { kind: "running" }
  | { kind: "exited"; code: number | null; signal: string | null }
  | { kind: "failed" }
  | { kind: "crash-loop" };

/** The verdict on one process. */
export interface Verdict {
  verdict: "ok" | "error";
  /** The burst's error lines, or the failure, as a digest; null when ok. */
  digest: Digest | null;
  /** Number of lines in the last burst. */
  burstLines: number;
}

/**
 * The last burst: lines after the last gap of at least `quietMs` (or after
 * `since`, the incarnation's start, whichever is later).
 */
export function lastBurst(
  lines: readonly TimedLine[],
  since: number,
  quietMs: number,
): TimedLine[] {
  let start = 0;
  for (let i = lines.length - 1; i > 0; i--) {
    if (lines[i].ts - lines[i - 1].ts >= quietMs) {
      start = i;
      break;
    }
  }
  return lines.slice(start).filter((l) => l.ts >= since);
}

/** The verdict from the last burst and how the process stands. */
export function judge(burst: readonly TimedLine[], standing: Standing): Verdict {
  const own = burst.filter((l) => !l.annotation);
  const errors = own.some((l) => isErrorLine(l.text));
  const endedBadly = standing.kind === "failed" || standing.kind === "crash-loop" ||
    (standing.kind === "exited" && (standing.code !== 0 || standing.signal !== null));
  if (!errors && !endedBadly) return { verdict: "ok", digest: null, burstLines: own.length };
  return { verdict: "error", digest: buildDigest(own.map((l) => l.text)), burstLines: own.length };
}
