/**
 * The contract between the proxy's browser-console capture and the daemon:
 * one console entry from a page, already formatted as the log line stored in
 * the process's `browser` stream (`[browser] error Uncaught TypeError: x is
 * undefined (http://web.localhost:9090/app.js:12:5)`), with its level kept
 * apart so the daemon can tell errors (digest, settle, `browser-error`
 * events) without parsing the text.
 */

/** Console levels the capture script reports; uncaught errors and failed loads are `error`. */
export type BrowserLevel = "debug" | "log" | "info" | "warn" | "error";

/** Every level, in increasing severity. */
export const BROWSER_LEVELS: readonly BrowserLevel[] = ["debug", "log", "info", "warn", "error"];

/** One captured console entry. */
export interface BrowserLine {
  /** The entry's level. */
  level: BrowserLevel;
  /** The whole log line, `[browser] LEVEL MESSAGE (URL:LINE:COL)`, without a newline. */
  text: string;
}

/** Receives the entries one page sent for the process `name` (called by the proxy, sync). */
export type BrowserSink = (name: string, lines: BrowserLine[]) => void;
