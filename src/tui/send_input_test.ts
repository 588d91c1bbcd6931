/** Unit tests of the UI's send field: open, type, send, cancel. */

import { deepEqual, equal } from "node:assert/strict";
import { handleInput } from "./keys.ts";
import { initialState, type UiState } from "./types.ts";
import type { InputEvent, KeyName } from "./input.ts";

const ch = (c: string): InputEvent => ({ kind: "char", char: c });
const key = (k: KeyName): InputEvent => ({ kind: "key", key: k });

function typed(s: UiState, text: string): UiState {
  for (const c of text) s = handleInput(s, ch(c)).state;
  return s;
}

Deno.test("send field: i opens it, typing edits, Enter sends the line to the selected process", () => {
  const s0 = { ...initialState(80, 24), selected: "py" };
  const open = handleInput(s0, ch("i")).state;
  equal(open.input, "send");
  const s = handleInput(typed(open, "yes"), key("backspace")).state;
  equal(s.sendText, "ye");
  const step = handleInput(s, key("enter"));
  deepEqual(step.commands, [{ kind: "send", name: "py", text: "ye" }]);
  equal(step.state.input, "normal");
  equal(step.state.sendText, "");
});

Deno.test("send field: Esc cancels; keys like r and q are text, not actions", () => {
  const open = handleInput({ ...initialState(80, 24), selected: "py" }, ch("i")).state;
  const s = typed(open, "rq");
  equal(s.sendText, "rq");
  const esc = handleInput(s, key("escape"));
  deepEqual(esc.commands, []);
  equal(esc.state.input, "normal");
});

Deno.test("send field: nothing selected is an error notice", () => {
  const s = handleInput(initialState(80, 24), ch("i")).state;
  equal(s.input, "normal");
  equal(s.notice?.level, "error");
});
