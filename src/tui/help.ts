/** The key help shown by `?` in place of the output, and the short hints of the status bar. */

/** Key, what it does: the full help. */
export const HELP: readonly [string, string][] = [
  ["j/k ↑/↓", "select a process"],
  ["r", "restart the selected process"],
  ["x", "stop the selected process"],
  ["X", "stop all processes"],
  ["i", "send a line to the selected process's stdin (run --stdin)"],
  ["e", "cycle the stream: both → stdout → stderr → browser"],
  ["space", "pause / resume following"],
  ["u/d PgUp/PgDn", "scroll half a page (up pauses, the bottom resumes)"],
  ["g/Home", "top of the output (again: older lines from disk)"],
  ["G/End", "bottom, follow new output"],
  ["/", "filter: type, Enter keeps, Esc clears, Tab or Ctrl-R regex"],
  ["Ctrl-R", "toggle regex filter"],
  ["Esc", "clear the filter"],
  ["Ctrl-L", "redraw the screen"],
  ["q Ctrl-C", "quit, leaving processes running"],
  ["Q", "quit and stop all processes"],
  ["mouse", "wheel scrolls, click selects"],
  ["? Esc", "close this help"],
];

/** Key, what it does: the status bar's hints, most useful first. */
export const HINTS: readonly [string, string][] = [
  ["?", "help"],
  ["j/k", "select"],
  ["r", "restart"],
  ["x", "stop"],
  ["X", "stop all"],
  ["e", "stream"],
  ["space", "pause"],
  ["u/d", "scroll"],
  ["/", "filter"],
  ["q", "quit"],
  ["Q", "quit+stop"],
];

/** The help as rows of plain text. */
export function helpRows(): string[] {
  const keyW = Math.max(...HELP.map(([k]) => k.length));
  return ["Keys", ...HELP.map(([k, what]) => `  ${k.padEnd(keyW)}  ${what}`)];
}
