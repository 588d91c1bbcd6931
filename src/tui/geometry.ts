/**
 * Screen geometry shared by the view and the reducer (scroll sizes, mouse
 * hit-testing): a header row, a body with the process list on the left and
 * the output pane on the right, and a status bar at the bottom.
 */

import type { UiState } from "./types.ts";
import type { Pane } from "./layout.ts";
import { textWidth } from "./width.ts";
import { compileFilter } from "./filter.ts";

/** Smallest usable terminal; below it the view only says so. */
export const MIN_COLS = 20;
/** Smallest usable terminal height. */
export const MIN_ROWS = 4;

/** Where everything is on screen (0-based rows and columns). */
export interface Geometry {
  /** False when the terminal is too small to draw the UI. */
  usable: boolean;
  listWidth: number;
  /** First column of the output pane (after the separator). */
  outLeft: number;
  outWidth: number;
  /** Row of the first body line. */
  bodyTop: number;
  bodyHeight: number;
  /** Columns in front of each output row (a stderr or annotation marker). */
  gutter: number;
}

/** Computes the layout of the screen for the current state. */
export function geometry(s: UiState): Geometry {
  const usable = s.cols >= MIN_COLS && s.rows >= MIN_ROWS;
  const longest = s.processes.reduce((m, p) => Math.max(m, textWidth(p.name)), 4);
  const listWidth = Math.max(12, Math.min(longest + 10, Math.floor(s.cols * 0.35)));
  const outLeft = listWidth + 1;
  return {
    usable,
    listWidth,
    outLeft,
    outWidth: Math.max(1, s.cols - outLeft),
    bodyTop: 1,
    bodyHeight: Math.max(0, s.rows - 2),
    gutter: 1,
  };
}

/** First process shown in the list, so that the selected one is visible. */
export function listOffset(count: number, selectedIndex: number, height: number): number {
  if (height <= 0 || selectedIndex < height) return 0;
  return Math.min(selectedIndex - height + 1, Math.max(0, count - height));
}

/** The output pane of a process as the layout functions see it. */
export function paneOf(s: UiState, name: string): Pane {
  const g = geometry(s);
  const out = s.outputs[name];
  return {
    lines: out ? out.buf.lines : [],
    mode: s.mode,
    test: compileFilter(s.filter).test,
    width: Math.max(1, g.outWidth - g.gutter),
    height: g.bodyHeight,
  };
}
