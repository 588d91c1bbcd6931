/**
 * Cleaning raw output lines before a digest is chosen from them: ANSI escape
 * sequences removed, `\r` progress collapsed to its final text, trailing
 * blanks trimmed, and runs of identical lines collapsed to one line ending
 * ` (×N)`. Pure.
 */

// CSI sequences (colours, cursor moves), OSC sequences (titles, links), and lone escapes.
// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Removes ANSI escape sequences. */
export function stripAnsi(s: string): string {
  return s.includes("\x1b") ? s.replace(ANSI, "") : s;
}

/** The text a terminal would finally show for a line with `\r` progress updates. */
export function collapseCarriageReturns(s: string): string {
  const trimmed = s.endsWith("\r") ? s.slice(0, -1) : s;
  const at = trimmed.lastIndexOf("\r");
  return at < 0 ? trimmed : trimmed.slice(at + 1);
}

/** One cleaned line: its text and how many identical lines it stands for. */
export interface CleanLine {
  text: string;
  count: number;
}

/** Cleans lines and collapses runs of identical ones. */
export function cleanLines(lines: readonly string[]): CleanLine[] {
  const out: CleanLine[] = [];
  for (const raw of lines) {
    const text = collapseCarriageReturns(stripAnsi(raw)).trimEnd();
    const last = out[out.length - 1];
    if (last && last.text === text) last.count++;
    else out.push({ text, count: 1 });
  }
  return out;
}

/** A cleaned line as shown: `text`, or `text (×N)` for a run. */
export function showLine(l: CleanLine): string {
  return l.count > 1 ? `${l.text} (×${l.count})` : l.text;
}
