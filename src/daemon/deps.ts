/**
 * What the supervisor takes from the outside world, as parameters: a clock
 * with timers, a spawner and a signaller for children, a log opener, and the
 * daemon's log. The real ones are the defaults; tests pass fakes
 * (`test_support.ts`) to run restarts, backoff and stop escalation in-process.
 */

import { readLogs } from "../logs/reader.ts";
import { processLogDir, type SessionPaths } from "../paths.ts";
import type { ProcessSpec } from "../model.ts";
import { type LogLine, LogWriter } from "../logs/writer.ts";
import { signalChild, spawnChild, type SpawnResult } from "./child.ts";
import type { ProcEvent } from "../events/types.ts";
import type { PortHolder } from "../ports/holder.ts";
import type { StreamNo } from "../logs/index_format.ts";

/** A timer handle from `Clock.setTimeout`. */
export type TimerId = number;

/** Time and timers. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms`. */
  setTimeout(fn: () => void, ms: number): TimerId;
  /** Cancels a timer (ignores undefined and fired ones). */
  clearTimeout(id: TimerId | undefined): void;
}

/** The real clock (its timer ids map to the runtime's timer handles). */
export function realClock(): Clock {
  const handles = new Map<TimerId, ReturnType<typeof setTimeout>>();
  let next = 1;
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      const id = next++;
      handles.set(
        id,
        setTimeout(() => {
          handles.delete(id);
          fn();
        }, ms),
      );
      return id;
    },
    clearTimeout: (id) => {
      if (id === undefined) return;
      clearTimeout(handles.get(id));
      handles.delete(id);
    },
  };
}

/**
 * Starts a child for a spec, feeding its output to `onChunk` (the shape of `spawnChild`). A chunk
 * is valid only during the call (the read buffer is reused): keep a copy, never the view.
 */
export type Spawner = (
  spec: ProcessSpec,
  onChunk: (fd: 0 | 1, chunk: Uint8Array) => void,
) => SpawnResult;

/** Sends a signal to a child's process group; false when it is gone (the shape of `signalChild`). */
export type Signaller = (pgid: number, signal: Deno.Signal) => boolean;

/** The part of `LogWriter` the supervisor uses: one process's log. */
export interface ProcessLog {
  /** Called with the lines each write completes, when set. */
  onLines: ((lines: LogLine[]) => void) | null;
  /** Sequence number of the next line. */
  readonly nextSeq: number;
  /** The last write error, or null (writing never throws). */
  readonly lastError: Error | null;
  /** Appends a chunk of stream `stream` (0 stdout, 1 stderr, 2 browser). */
  write(stream: StreamNo, chunk: Uint8Array, generation: number): number;
  /** Ends a stream's pending partial line. */
  endStream(stream: 0 | 1, generation: number): void;
  /** Writes a supervisor annotation. */
  annotate(text: string, generation: number): void;
  /** Flushes and closes. */
  close(): void;
}

/** Opens the log in a process's log directory (may throw when the directory cannot be used). */
export type LogOpener = (dir: string) => ProcessLog;

/**
 * Log rotation settings from the daemon's environment:
 * `AGENT_PROCS_LOG_SEGMENT_BYTES` (default 50 MiB) and `AGENT_PROCS_LOG_KEEP` (default 5).
 */
export function logOptions(): { maxSegmentBytes?: number; keepSegments?: number } {
  const num = (k: string) => {
    const v = Number(Deno.env.get(k));
    return Number.isInteger(v) && v > 0 ? v : undefined;
  };
  return {
    maxSegmentBytes: num("AGENT_PROCS_LOG_SEGMENT_BYTES"),
    keepSegments: num("AGENT_PROCS_LOG_KEEP"),
  };
}

/** Everything the supervisor depends on. */
export interface SupervisorDeps {
  clock: Clock;
  spawn: Spawner;
  signal: Signaller;
  openLog: LogOpener;
  /** The daemon's log (one line per call). */
  log: (msg: string) => void;
  /** The last `n` output lines (both streams, no annotations) of one incarnation. */
  readTail?: (name: string, generation: number, n: number) => string[];
  /** Where lifecycle events go (default: the session's event file). */
  events?: EventSink;
  /** Who listens on a port (for the digest's hint; default: `/proc` or `lsof`). */
  findHolder?: (port: number) => Promise<PortHolder | null>;
}

/** Receives lifecycle events. */
export interface EventSink {
  append(e: ProcEvent): void;
  /** Releases what the sink holds open (at daemon exit). */
  close?(): void;
}

/** The real dependencies, with `over` replacing some. */
export function supervisorDeps(over: Partial<SupervisorDeps> = {}): SupervisorDeps {
  return {
    clock: over.clock ?? realClock(),
    spawn: spawnChild,
    signal: signalChild,
    openLog: (dir) => LogWriter.open(dir, logOptions()),
    log: (msg) => console.error(msg),
    ...over,
  };
}

/**
 * The real `readTail`: the last `n` output lines of one incarnation, from its log on disk. It is
 * asked when that incarnation ends, so it is the newest one in the log. The store reads a tail
 * from the end, so a process that printed millions of lines before failing
 * costs the daemon no more than one that printed ten (annotations count in `n`, then drop out).
 */
export function incarnationTail(
  paths: SessionPaths,
): (name: string, generation: number, n: number) => string[] {
  return (name, generation, n) =>
    readLogs(processLogDir(paths, name), {
      streams: ["stdout", "stderr"],
      minGeneration: generation,
      tail: n,
    }).filter((l) => !l.annotation && l.generation === generation).map((l) => l.text);
}
