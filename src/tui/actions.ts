/**
 * Pure state transitions behind the keys and mouse: selection, scrolling,
 * pause and resume, and the history loads they need. Each returns the new
 * state and the commands to run.
 */

import type { Command, ProcOutput, Step, UiState } from "./types.ts";
import { CHUNK, emptyBuffer, type LoadKind, newerBefore, startLoad } from "./buffer.ts";
import { freeze, layout, type Scroll, scrollBy, topScroll } from "./layout.ts";
import { paneOf } from "./geometry.ts";

/** The output record of a process (a fresh one when none exists yet). */
export function outputOf(s: UiState, name: string): ProcOutput {
  return s.outputs[name] ?? { buf: emptyBuffer(), scroll: { kind: "follow" }, unseen: 0 };
}

/** Replaces the output record of a process. */
export function withOutput(s: UiState, name: string, out: ProcOutput): UiState {
  return { ...s, outputs: { ...s.outputs, [name]: out } };
}

/** Starts a history load of a process unless one is in flight. */
export function load(s: UiState, name: string, kind: LoadKind): Step {
  const out = outputOf(s, name);
  if (out.buf.loading) return { state: s, commands: [] };
  const lines = out.buf.lines;
  const cmd: Command = { kind: "history", name, load: kind, limit: CHUNK };
  if (kind === "older") {
    if (!out.buf.hasOlder || !lines.length) return { state: s, commands: [] };
    cmd.beforeSeq = lines[0].seq;
  } else if (kind === "newer") {
    cmd.beforeSeq = newerBefore(out.buf, CHUNK);
  }
  const next = withOutput(s, name, { ...out, buf: startLoad(out.buf, kind) });
  return { state: next, commands: [cmd] };
}

/** Selects a process by name, loading its recent output the first time. */
export function select(s: UiState, name: string | null): Step {
  const state = { ...s, selected: name };
  if (name === null) return { state, commands: [] };
  const out = outputOf(state, name);
  if (out.buf.loaded) return { state, commands: [] };
  return load(withOutput(state, name, out), name, "newest");
}

/** Moves the selection by `delta` rows in the process list (clamped). */
export function moveSelection(s: UiState, delta: number): Step {
  if (!s.processes.length) return { state: s, commands: [] };
  const cur = s.processes.findIndex((p) => p.name === s.selected);
  const i = Math.max(0, Math.min(s.processes.length - 1, (cur < 0 ? 0 : cur) + delta));
  return select(s, s.processes[i].name);
}

function setScroll(s: UiState, name: string, scroll: Scroll): UiState {
  const out = outputOf(s, name);
  const unseen = scroll.kind === "follow" ? 0 : out.unseen;
  return withOutput(s, name, { ...out, scroll, unseen });
}

/** Follows the newest output again, reloading it from disk when the window was detached. */
export function resume(s: UiState): Step {
  const name = s.selected;
  if (name === null) return { state: s, commands: [] };
  const state = setScroll(s, name, { kind: "follow" });
  const out = outputOf(state, name);
  if (out.buf.live) return { state, commands: [] };
  return load(state, name, "newest");
}

/** Scrolls the selected output by `delta` rows: up pauses (loading older lines at the top), reaching the bottom resumes. */
export function scrollRows(s: UiState, delta: number): Step {
  const name = s.selected;
  if (name === null || delta === 0) return { state: s, commands: [] };
  const out = outputOf(s, name);
  const pane = paneOf(s, name);
  if (out.scroll.kind === "follow") {
    if (delta > 0) return { state: s, commands: [] };
    // Everything fits on screen: nothing to scroll, but older lines may be on disk.
    if (layout(pane, out.scroll).atTop) return load(s, name, "older");
  }
  const r = scrollBy(pane, out.scroll, delta);
  if (r.hitBottom) {
    if (out.buf.live) return resume(s);
    return load(setScroll(s, name, r.scroll), name, "newer");
  }
  const state = setScroll(s, name, r.scroll);
  if (r.hitTop && delta < 0) return load(state, name, "older");
  return { state, commands: [] };
}

/** Half the output pane's height, the step of u/d/PgUp/PgDn. */
export function halfPage(s: UiState): number {
  return Math.max(1, Math.floor((s.rows - 2) / 2));
}

/** Space: pauses where the output is, or resumes following. */
export function togglePause(s: UiState): Step {
  const name = s.selected;
  if (name === null) return { state: s, commands: [] };
  const out = outputOf(s, name);
  if (out.scroll.kind === "paused") return resume(s);
  return { state: setScroll(s, name, freeze(paneOf(s, name), out.scroll)), commands: [] };
}

/** g/Home: the top of the output in memory, and a load of older lines from disk. */
export function goTop(s: UiState): Step {
  const name = s.selected;
  if (name === null) return { state: s, commands: [] };
  const top = topScroll(paneOf(s, name));
  if (top.kind === "follow") return { state: s, commands: [] };
  return load(setScroll(s, name, top), name, "older");
}
