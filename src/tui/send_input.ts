/**
 * Sending a line from the terminal UI: `i` opens an input field for the
 * selected process's stdin; typing edits it, Enter sends it with a newline
 * (an empty line is a bare Enter, e.g. to take a prompt's default), Esc or
 * Ctrl-C cancels, Ctrl-U clears. Pure transitions, like `keys.ts`.
 */

import type { InputEvent } from "./input.ts";
import type { Step, UiState } from "./types.ts";
import { graphemes } from "./width.ts";

const none = (state: UiState): Step => ({ state, commands: [] });

/** `i`: opens the field for the selected process (an error notice when none is selected). */
export function openSend(s: UiState): Step {
  if (s.selected === null) {
    return none({ ...s, notice: { level: "error", text: "no process selected" } });
  }
  return none({ ...s, input: "send", sendText: "" });
}

/** A key while the field is open. */
export function sendKey(s: UiState, ev: InputEvent): Step {
  if (ev.kind === "char") return none({ ...s, sendText: s.sendText + ev.char });
  if (ev.kind === "ctrl") {
    if (ev.char === "c") return none({ ...s, input: "normal", sendText: "" });
    if (ev.char === "u") return none({ ...s, sendText: "" });
    return none(s);
  }
  if (ev.kind !== "key") return none(s);
  switch (ev.key) {
    case "enter": {
      const closed = { ...s, input: "normal" as const, sendText: "" };
      if (s.selected === null) return none(closed);
      return {
        state: { ...closed, notice: { level: "info", text: `sending to ${s.selected}…` } },
        commands: [{ kind: "send", name: s.selected, text: s.sendText }],
      };
    }
    case "escape":
      return none({ ...s, input: "normal", sendText: "" });
    case "backspace":
      return none({ ...s, sendText: graphemes(s.sendText).slice(0, -1).join("") });
    default:
      return none(s);
  }
}
