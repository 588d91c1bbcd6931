/**
 * Geometry of the output pane: which lines are visible (stream mode and
 * filter), how they wrap at the pane's width, which rows fill the pane for a
 * scroll position, and how a scroll by N rows moves that position. Scroll
 * positions are anchored on a line (its seq and a wrapped row within it), so
 * they survive new output, resizes and filter changes. Pure functions.
 */

import type { UiLine } from "./backend.ts";
import { stripSgr, wrap, wrapCount } from "./ansi.ts";

/** Which streams the output pane shows. */
export type StreamMode = "both" | "stdout" | "stderr" | "browser";

/** Where the output pane is: following the newest line, or paused with a line at the top. */
export type Scroll =
  | { kind: "follow" }
  | { kind: "paused"; seq: number; row: number };

/** A test on a line's visible text (null: no filter). */
export type LineTest = ((plain: string) => boolean) | null;

/** One row of the output pane. */
export interface OutRow {
  line: UiLine;
  /** Index of this row within the wrapped line. */
  row: number;
  /** The row's text (sanitized, may hold SGR sequences). */
  text: string;
}

/** Rows filling the pane, plus where they start and whether they reach either end. */
export interface OutLayout {
  rows: OutRow[];
  /** The position of the first shown row (null when nothing is visible). */
  top: { seq: number; row: number } | null;
  /** True when the first visible line's first row is shown. */
  atTop: boolean;
  /** True when the last visible line's last row is shown. */
  atBottom: boolean;
}

/** The question "which lines show, at which width". */
export interface Pane {
  lines: UiLine[];
  mode: StreamMode;
  test: LineTest;
  width: number;
  height: number;
}

/** True when the line is shown in the pane (annotations show in every stream mode). */
export function isVisible(p: Pane, l: UiLine): boolean {
  if (p.mode !== "both" && l.stream !== p.mode && !l.annotation) return false;
  return p.test === null || p.test(stripSgr(l.text));
}

function next(p: Pane, i: number): number {
  for (let j = i + 1; j < p.lines.length; j++) if (isVisible(p, p.lines[j])) return j;
  return -1;
}

function prev(p: Pane, i: number): number {
  for (let j = i - 1; j >= 0; j--) if (isVisible(p, p.lines[j])) return j;
  return -1;
}

/** Index of the first line with seq >= `seq` (lines.length when none). */
function lowerBound(lines: UiLine[], seq: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid].seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Resolves an anchor to a visible line index and row within it; -1 when no visible line follows. */
function resolve(p: Pane, seq: number, row: number): { i: number; row: number } {
  let i = lowerBound(p.lines, seq);
  if (i < p.lines.length && !isVisible(p, p.lines[i])) i = next(p, i);
  if (i < 0 || i >= p.lines.length) return { i: -1, row: 0 };
  const exact = p.lines[i].seq === seq;
  const count = wrapCount(p.lines[i].text, p.width);
  return { i, row: exact ? Math.min(Math.max(0, row), count - 1) : 0 };
}

function bottomLayout(p: Pane): OutLayout {
  const rows: OutRow[] = [];
  let i = prev(p, p.lines.length);
  let atTop = true;
  while (i >= 0 && rows.length < p.height) {
    const line = p.lines[i];
    const wrapped = wrap(line.text, p.width);
    for (let r = wrapped.length - 1; r >= 0; r--) rows.unshift({ line, row: r, text: wrapped[r] });
    i = prev(p, i);
  }
  if (rows.length > p.height) rows.splice(0, rows.length - p.height);
  if (i >= 0 || (rows.length && rows[0].row > 0)) atTop = false;
  const top = rows.length ? { seq: rows[0].line.seq, row: rows[0].row } : null;
  return { rows, top, atTop, atBottom: true };
}

/** Lays out the pane for a scroll position. */
export function layout(p: Pane, scroll: Scroll): OutLayout {
  if (p.height <= 0) return { rows: [], top: null, atTop: true, atBottom: true };
  if (scroll.kind === "follow") return bottomLayout(p);
  const start = resolve(p, scroll.seq, scroll.row);
  if (start.i < 0) return bottomLayout(p);
  const rows: OutRow[] = [];
  let i = start.i;
  let first = start.row;
  while (i >= 0 && rows.length < p.height) {
    const line = p.lines[i];
    const wrapped = wrap(line.text, p.width);
    for (let r = first; r < wrapped.length && rows.length < p.height; r++) {
      rows.push({ line, row: r, text: wrapped[r] });
    }
    const last = rows[rows.length - 1];
    if (rows.length === p.height && last.line === line && last.row < wrapped.length - 1) {
      return {
        rows,
        top: { seq: p.lines[start.i].seq, row: start.row },
        atTop: false,
        atBottom: false,
      };
    }
    first = 0;
    i = next(p, i);
  }
  // The content below the anchor ends within the pane: show the last page.
  if (rows.length < p.height || i < 0) return bottomLayout(p);
  const atTop = prev(p, start.i) < 0 && start.row === 0;
  return { rows, top: { seq: p.lines[start.i].seq, row: start.row }, atTop, atBottom: false };
}

/** Outcome of a scroll: the new position and whether it ran into either end. */
export interface ScrollResult {
  scroll: Scroll;
  hitTop: boolean;
  hitBottom: boolean;
}

/** Moves the pane by `delta` rows (negative: up) from where `scroll` shows it. */
export function scrollBy(p: Pane, scroll: Scroll, delta: number): ScrollResult {
  const cur = layout(p, scroll);
  if (!cur.top) return { scroll: { kind: "follow" }, hitTop: true, hitBottom: true };
  let { i, row } = resolve(p, cur.top.seq, cur.top.row);
  let hitTop = false;
  if (delta < 0) {
    row += delta;
    while (row < 0) {
      const j = prev(p, i);
      if (j < 0) {
        row = 0;
        hitTop = true;
        break;
      }
      i = j;
      row += wrapCount(p.lines[i].text, p.width);
    }
  } else {
    row += delta;
    while (row >= wrapCount(p.lines[i].text, p.width)) {
      const j = next(p, i);
      if (j < 0) {
        row = wrapCount(p.lines[i].text, p.width) - 1;
        break;
      }
      row -= wrapCount(p.lines[i].text, p.width);
      i = j;
    }
  }
  const moved: Scroll = { kind: "paused", seq: p.lines[i].seq, row };
  const after = layout(p, moved);
  return { scroll: moved, hitTop: hitTop || after.atTop, hitBottom: delta > 0 && after.atBottom };
}

/** The position showing the first visible line at the top. */
export function topScroll(p: Pane): Scroll {
  const i = next(p, -1);
  return i < 0 ? { kind: "follow" } : { kind: "paused", seq: p.lines[i].seq, row: 0 };
}

/** Freezes the pane where it is now (follow becomes paused at the current top row). */
export function freeze(p: Pane, scroll: Scroll): Scroll {
  if (scroll.kind === "paused") return scroll;
  const top = layout(p, scroll).top;
  return top ? { kind: "paused", ...top } : { kind: "paused", seq: -1, row: 0 };
}
