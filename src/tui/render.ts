/**
 * Frame diffing: turns the previous and next screen (arrays of lines from the
 * view) into the bytes that update the terminal, rewriting only the rows that
 * changed. Wrapped in synchronized-update markers so terminals that support
 * them never show a half-drawn frame (others ignore the markers).
 */

const SYNC_START = "\x1b[?2026h";
const SYNC_END = "\x1b[?2026l";

/** Escape sequence moving the cursor to a 0-based row, column 0. */
function moveTo(row: number): string {
  return `\x1b[${row + 1};1H`;
}

/**
 * The output that turns screen `prev` into `next`. With `prev` null (first
 * frame, resize, forced redraw) the screen is cleared and fully drawn.
 * Returns "" when nothing changed.
 */
export function diffFrame(prev: string[] | null, next: string[]): string {
  let out = "";
  if (prev === null || prev.length !== next.length) {
    out = "\x1b[0m\x1b[2J";
    for (let i = 0; i < next.length; i++) out += moveTo(i) + next[i] + "\x1b[0m";
    return SYNC_START + out + SYNC_END;
  }
  for (let i = 0; i < next.length; i++) {
    if (prev[i] !== next[i]) out += moveTo(i) + next[i] + "\x1b[0m";
  }
  return out ? SYNC_START + out + SYNC_END : "";
}
