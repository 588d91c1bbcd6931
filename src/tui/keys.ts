/**
 * Key and mouse bindings: turns one input event into a state transition.
 * Normal mode: j/k/arrows select, r restart, x stop, X stop all, e cycle the
 * stream, space pause, u/d/PgUp/PgDn half-page scroll, g/G/Home/End, `/`
 * filter, Ctrl-R regex, Esc clear, q/Ctrl-C quit, Q quit stopping everything,
 * Ctrl-L redraw, ? help, i send a line to the selected process. Filter mode: typing
 * edits the filter (applied as you type), Enter keeps it, Esc clears it. Send mode:
 * see `send_input.ts`.
 */

import type { InputEvent } from "./input.ts";
import type { Step, UiState } from "./types.ts";
import type { StreamMode } from "./layout.ts";
import {
  goTop,
  halfPage,
  moveSelection,
  resume,
  scrollRows,
  select,
  togglePause,
} from "./actions.ts";
import { geometry, listOffset } from "./geometry.ts";
import { graphemes } from "./width.ts";
import { openSend, sendKey } from "./send_input.ts";

const NEXT_MODE: Record<StreamMode, StreamMode> = {
  both: "stdout",
  stdout: "stderr",
  stderr: "browser",
  browser: "both",
};

/** Rows one mouse wheel notch scrolls. */
export const WHEEL_ROWS = 3;

const none = (state: UiState): Step => ({ state, commands: [] });

function act(s: UiState, kind: "restart" | "stop"): Step {
  if (s.selected === null) {
    return none({ ...s, notice: { level: "error", text: "no process selected" } });
  }
  const verb = kind === "restart" ? "restarting" : "stopping";
  return {
    state: { ...s, notice: { level: "info", text: `${verb} ${s.selected}…` } },
    commands: [{ kind, name: s.selected }],
  };
}

function toggleRegex(s: UiState): Step {
  return none({ ...s, filter: { ...s.filter, regex: !s.filter.regex } });
}

function normalKey(s: UiState, ev: InputEvent): Step {
  const key = ev.kind === "key"
    ? ev.key
    : ev.kind === "char"
    ? ev.char
    : ev.kind === "ctrl"
    ? `^${ev.char}`
    : "";
  switch (key) {
    case "j":
    case "down":
      return moveSelection(s, 1);
    case "k":
    case "up":
      return moveSelection(s, -1);
    case "r":
      return act(s, "restart");
    case "x":
      return act(s, "stop");
    case "X":
      return {
        state: { ...s, notice: { level: "info", text: "stopping all processes…" } },
        commands: [{ kind: "stopAll" }],
      };
    case "e":
      return none({ ...s, mode: NEXT_MODE[s.mode] });
    case " ":
      return togglePause(s);
    case "u":
    case "pageup":
      return scrollRows(s, -halfPage(s));
    case "d":
    case "pagedown":
      return scrollRows(s, halfPage(s));
    case "g":
    case "home":
      return goTop(s);
    case "G":
    case "end":
      return resume(s);
    case "/":
      return none({ ...s, input: "filter" });
    case "i":
      return openSend(s);
    case "^r":
      return toggleRegex(s);
    case "escape":
      return none({ ...s, filter: { ...s.filter, text: "" } });
    case "q":
    case "^c":
      return { state: s, commands: [{ kind: "quit", stopAll: false }] };
    case "Q":
      return {
        state: { ...s, notice: { level: "info", text: "stopping all processes…" } },
        commands: [{ kind: "quit", stopAll: true }],
      };
    case "^l":
      return { state: s, commands: [{ kind: "redraw" }] };
    case "?":
      return none({ ...s, help: true });
    default:
      return none(s);
  }
}

function filterKey(s: UiState, ev: InputEvent): Step {
  if (ev.kind === "char") {
    return none({ ...s, filter: { ...s.filter, text: s.filter.text + ev.char } });
  }
  if (ev.kind === "ctrl") {
    if (ev.char === "c") return { state: s, commands: [{ kind: "quit", stopAll: false }] };
    if (ev.char === "r") return toggleRegex(s);
    if (ev.char === "u") return none({ ...s, filter: { ...s.filter, text: "" } });
    return none(s);
  }
  if (ev.kind !== "key") return none(s);
  switch (ev.key) {
    case "enter":
      return none({ ...s, input: "normal" });
    case "escape":
      return none({ ...s, input: "normal", filter: { ...s.filter, text: "" } });
    case "tab":
      return toggleRegex(s);
    case "backspace":
      return none({
        ...s,
        filter: { ...s.filter, text: graphemes(s.filter.text).slice(0, -1).join("") },
      });
    case "up":
      return moveSelection(s, -1);
    case "down":
      return moveSelection(s, 1);
    case "pageup":
      return scrollRows(s, -halfPage(s));
    case "pagedown":
      return scrollRows(s, halfPage(s));
    default:
      return none(s);
  }
}

function mouse(s: UiState, ev: Extract<InputEvent, { kind: "mouse" }>): Step {
  const g = geometry(s);
  const inList = ev.col < g.listWidth;
  if (ev.action === "wheelup" || ev.action === "wheeldown") {
    const dir = ev.action === "wheelup" ? -1 : 1;
    return inList ? moveSelection(s, dir) : scrollRows(s, dir * WHEEL_ROWS);
  }
  if (ev.action !== "press" || ev.button !== 0 || !inList) return none(s);
  const row = ev.row - g.bodyTop;
  if (row < 0 || row >= g.bodyHeight) return none(s);
  const sel = s.processes.findIndex((p) => p.name === s.selected);
  const i = listOffset(s.processes.length, Math.max(0, sel), g.bodyHeight) + row;
  return i < s.processes.length ? select(s, s.processes[i].name) : none(s);
}

/** Applies one input event. Any key clears the last notice and closes the help (? and Esc only close it). */
export function handleInput(s: UiState, ev: InputEvent): Step {
  if (ev.kind === "mouse") return mouse(s, ev);
  if (s.help) {
    const closed = { ...s, help: false };
    const closeOnly = (ev.kind === "char" && ev.char === "?") ||
      (ev.kind === "key" && ev.key === "escape");
    if (closeOnly) return none(closed);
    return handleInput(closed, ev);
  }
  const cleared = s.notice ? { ...s, notice: null } : s;
  if (cleared.input === "send") return sendKey(cleared, ev);
  return cleared.input === "filter" ? filterKey(cleared, ev) : normalKey(cleared, ev);
}
