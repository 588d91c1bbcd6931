/**
 * The TUI's view of the daemon: a small interface the UI is written against,
 * so it can run on the real client or on a fake one in tests and demos.
 * The lead's client implements `UiBackend`; `runUi` (app.ts) consumes it.
 */

import type { ProcessInfo } from "../model.ts";
import type { StreamName } from "../logs/index_format.ts";

/** One output line of a process, as the UI receives it. */
export interface UiLine {
  /** Per-process sequence number, shared by both streams across restarts. */
  seq: number;
  /** Time the line was captured, ms since the epoch. */
  ts: number;
  /** Which stream the line came from. */
  stream: StreamName;
  /** The line's text, without the newline; may contain ANSI sequences. */
  text: string;
  /** True for supervisor annotations (`[agent-procs] ...`). */
  annotation: boolean;
}

/** Events the backend pushes to the UI. */
export type UiEvent =
  /** The full process table, sent whenever anything changes. */
  | { kind: "status"; processes: ProcessInfo[] }
  /** New output of one process, in seq order. */
  | { kind: "lines"; name: string; lines: UiLine[] }
  /** The daemon went away; no more events follow. */
  | { kind: "closed"; reason: string };

/** What the UI needs from the daemon. Every method may reject; the UI shows the error. */
export interface UiBackend {
  /** Start streaming events (status first, then lines of every process as they come). */
  subscribe(onEvent: (e: UiEvent) => void): { close(): void };
  /** Lines of one process from disk: the last `limit` lines with seq < beforeSeq (or the newest). */
  history(name: string, opts: { limit: number; beforeSeq?: number }): Promise<UiLine[]>;
  /** Restart one process. */
  restart(name: string): Promise<void>;
  /** Stop one process. */
  stop(name: string): Promise<void>;
  /** Stop every process of the session. */
  stopAll(): Promise<void>;
  /** Write a line (`text` plus a newline) to the stdin pipe of one process. */
  send(name: string, text: string): Promise<void>;
}

/** How `runUi` ended: `quit` leaves processes running, `quit-stop` stopped them all first. */
export type UiExit = "quit" | "quit-stop";
