/**
 * ANSI handling for process output shown in the TUI: `sanitize` keeps SGR
 * (colour/style) sequences and strips every other escape or control sequence
 * so output cannot move the cursor or break the screen; the width, wrap and
 * fit helpers measure text without its SGR sequences.
 */

import { clusterWidth, graphemes, textWidth } from "./width.ts";

const ESC = "\x1b";
/** SGR sequences, the only escapes `sanitize` keeps. */
// deno-lint-ignore no-control-regex -- escape sequences are what this module handles
const SGR_RE = /\x1b\[[0-9;:]*m/g;
// deno-lint-ignore no-control-regex -- escape sequences are what this module handles
const SGR_SPLIT = /(\x1b\[[0-9;:]*m)/;
// deno-lint-ignore no-control-regex -- escape sequences are what this module handles
const NEEDS_CLEANING = /[\x00-\x1f\x7f-\x9f]/;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const TAB = 8;

/** SGR reset. */
export const RESET = "\x1b[0m";

/** Ends of a string terminated by BEL or ST (ESC \), from index `i`; returns the index after it. */
function skipString(s: string, i: number): number {
  for (let j = i; j < s.length; j++) {
    if (s[j] === "\x07") return j + 1;
    if (s[j] === ESC && s[j + 1] === "\\") return j + 2;
  }
  return s.length;
}

/** Parses a CSI starting at `i` (just after `ESC [`); returns its end index and whether it is SGR. */
function scanCsi(s: string, i: number): { end: number; sgr: boolean } {
  let j = i;
  let plainParams = true;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c >= 0x40 && c <= 0x7e) {
      return { end: j + 1, sgr: s[j] === "m" && plainParams };
    }
    if (c < 0x20 || c > 0x7e) return { end: j, sgr: false }; // malformed: drop what we saw
    if (!(c >= 0x30 && c <= 0x3b)) plainParams = false; // only digits ; : are plain
    j++;
  }
  return { end: s.length, sgr: false };
}

/** The segment of a line a terminal would end up showing after carriage returns. */
function afterCarriageReturns(text: string): string {
  if (!text.includes("\r")) return text;
  const parts = text.replace(/[\r\n]+$/, "").split("\r");
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== "") return parts[i];
  return "";
}

/**
 * Makes one line of process output safe to draw: keeps SGR sequences, removes
 * other escape sequences (CSI, OSC, DCS, ...) and control characters, expands
 * tabs to 8-column stops, and resolves `\r` to the last segment written.
 */
export function sanitize(raw: string): string {
  const text = afterCarriageReturns(raw);
  if (!NEEDS_CLEANING.test(text)) return text;
  let out = "";
  let col = 0;
  let run = ""; // printable text not yet measured
  const flush = () => {
    if (run) {
      col += textWidth(run);
      out += run;
      run = "";
    }
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const c = text.charCodeAt(i);
    if (ch === ESC) {
      const next = text[i + 1];
      if (next === "[") {
        const { end, sgr } = scanCsi(text, i + 2);
        if (sgr) {
          flush();
          out += text.slice(i, end);
        }
        i = end;
      } else if (next === "]" || next === "P" || next === "X" || next === "^" || next === "_") {
        i = skipString(text, i + 2);
      } else {
        let j = i + 1;
        while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
        i = Math.min(text.length, j + 1);
      }
      continue;
    }
    if (ch === "\t") {
      flush();
      const spaces = TAB - (col % TAB);
      out += " ".repeat(spaces);
      col += spaces;
    } else if (!(c < 0x20 || (c >= 0x7f && c <= 0x9f))) {
      run += ch;
    }
    i++;
  }
  flush();
  return out;
}

/** Removes SGR sequences from sanitized text, leaving what is visible. */
export function stripSgr(s: string): string {
  return s.includes(ESC) ? s.replace(SGR_RE, "") : s;
}

/** Display width of sanitized text, ignoring its SGR sequences. */
export function visibleWidth(s: string): number {
  return textWidth(stripSgr(s));
}

/** True when an SGR sequence resets every attribute (`ESC[m`, `ESC[0m`, `ESC[0;...m`). */
function isReset(sgr: string): boolean {
  const params = sgr.slice(2, -1);
  return params === "" || params.split(/[;:]/)[0] === "0" || /^0*$/.test(params);
}

/**
 * Wraps sanitized text into rows of at most `width` cells. SGR state carries
 * over: each continuation row starts with the sequences still in effect.
 * Always returns at least one row.
 */
export function wrap(s: string, width: number): string[] {
  const w = Math.max(1, width);
  if (PLAIN_ASCII.test(s)) {
    if (s.length <= w) return [s];
    const rows: string[] = [];
    for (let i = 0; i < s.length; i += w) rows.push(s.slice(i, i + w));
    return rows;
  }
  const rows: string[] = [];
  let cur = "";
  let curW = 0;
  let active = "";
  for (const part of s.split(SGR_SPLIT)) {
    if (part === "") continue;
    if (part.startsWith(ESC)) {
      cur += part;
      active = isReset(part) ? "" : active + part;
      continue;
    }
    for (const g of graphemes(part)) {
      const gw = clusterWidth(g);
      if (curW + gw > w && curW > 0) {
        rows.push(cur);
        cur = active;
        curW = 0;
      }
      cur += gw > w ? "?" : g;
      curW += gw > w ? 1 : gw;
    }
  }
  rows.push(cur);
  return rows;
}

/** Number of rows `wrap(s, width)` produces. */
export function wrapCount(s: string, width: number): number {
  const w = Math.max(1, width);
  if (PLAIN_ASCII.test(s)) return Math.max(1, Math.ceil(s.length / w));
  return wrap(s, w).length;
}

/**
 * Fits sanitized text into exactly `width` cells: truncates (never splitting
 * a wide character), pads with spaces, and ends with a reset when the text
 * carried any SGR sequence so styles cannot leak into the next cells.
 */
export function fit(s: string, width: number): string {
  if (width <= 0) return "";
  if (PLAIN_ASCII.test(s)) {
    return s.length >= width ? s.slice(0, width) : s + " ".repeat(width - s.length);
  }
  let out = "";
  let used = 0;
  let styled = false;
  outer: for (const part of s.split(SGR_SPLIT)) {
    if (part === "") continue;
    if (part.startsWith(ESC)) {
      out += part;
      styled = true;
      continue;
    }
    for (const g of graphemes(part)) {
      const gw = clusterWidth(g);
      if (used + gw > width) break outer;
      out += g;
      used += gw;
    }
  }
  if (styled) out += RESET;
  return out + " ".repeat(width - used);
}

/** Wraps text in an SGR style (e.g. `"1;31"`) followed by a reset; plain when style is empty. */
export function style(code: string, text: string): string {
  return code ? `\x1b[${code}m${text}${RESET}` : text;
}
