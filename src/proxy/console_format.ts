/**
 * Pure parts of the console intake: the typed decoder for the JSON batch the
 * capture script posts to `/_agent-procs/console`, and the formatter that
 * turns one entry into the stored log line
 * `[browser] LEVEL MESSAGE (URL:LINE:COL)` (one line: newlines and control
 * characters escaped, length capped).
 */

import { BROWSER_LEVELS, type BrowserLevel, type BrowserLine } from "./browser_line.ts";

/** Most entries one batch may carry. */
export const MAX_BATCH_ENTRIES = 100;

/** Longest stored line, in characters (longer messages are cut with a note). */
export const MAX_LINE_CHARS = 4000;

/** One console entry as the capture script sends it. */
export interface ConsoleEntry {
  /** Console level; uncaught errors and failed loads are `error`. */
  level: BrowserLevel;
  /** The message as the console would show it. */
  text: string;
  /** Source URL of the call or error, when known. */
  url: string | null;
  /** 1-based line in `url`, when known. */
  line: number | null;
  /** 1-based column in `url`, when known. */
  col: number | null;
}

/** A decoded batch, or why it was refused. */
export type DecodedBatch = { ok: true; entries: ConsoleEntry[] } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isLevel(v: unknown): v is BrowserLevel {
  return typeof v === "string" && (BROWSER_LEVELS as readonly string[]).includes(v);
}

function position(v: unknown): number | null | undefined {
  if (v === undefined || v === null) return null;
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
}

/** Validates a parsed body `{"entries": [{level, text, url?, line?, col?}, ...]}`. */
export function decodeBatch(body: unknown): DecodedBatch {
  if (!isRecord(body) || !Array.isArray(body.entries)) {
    return { ok: false, error: 'expected {"entries": [...]}' };
  }
  if (body.entries.length > MAX_BATCH_ENTRIES) {
    return { ok: false, error: `more than ${MAX_BATCH_ENTRIES} entries` };
  }
  const entries: ConsoleEntry[] = [];
  for (const [i, e] of body.entries.entries()) {
    if (!isRecord(e)) return { ok: false, error: `entry ${i} is not an object` };
    if (!isLevel(e.level)) return { ok: false, error: `entry ${i}: bad level` };
    if (typeof e.text !== "string") {
      return { ok: false, error: `entry ${i}: text must be a string` };
    }
    const url = e.url === undefined || e.url === null ? null : e.url;
    if (url !== null && typeof url !== "string") {
      return { ok: false, error: `entry ${i}: url must be a string` };
    }
    const line = position(e.line);
    const col = position(e.col);
    if (line === undefined || col === undefined) {
      return { ok: false, error: `entry ${i}: line and col must be whole numbers` };
    }
    entries.push({ level: e.level, text: e.text, url: url === "" ? null : url, line, col });
  }
  return { ok: true, entries };
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/g; // tab is kept

function escapeControls(s: string): string {
  return s.replace(CONTROL, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

/** ` (URL:LINE:COL)`, ` (URL:LINE)`, ` (URL)` or empty. */
export function locationSuffix(e: ConsoleEntry): string {
  if (e.url === null) return "";
  const url = escapeControls(e.url).slice(0, 500);
  if (e.line === null) return ` (${url})`;
  return e.col === null ? ` (${url}:${e.line})` : ` (${url}:${e.line}:${e.col})`;
}

/** The stored line for one entry: `[browser] LEVEL MESSAGE (URL:LINE:COL)`, capped. */
export function formatEntry(e: ConsoleEntry): BrowserLine {
  const head = `[browser] ${e.level} `;
  const loc = locationSuffix(e);
  let msg = escapeControls(e.text);
  const room = MAX_LINE_CHARS - head.length - loc.length;
  if (msg.length > room) {
    const cut = msg.length - (room - 30);
    msg = `${msg.slice(0, room - 30)} … (${cut} more chars)`;
  }
  return { level: e.level, text: head + msg + loc };
}
