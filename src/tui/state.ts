/**
 * The TUI's reducer: `update(state, msg)` returns the next state and the
 * commands to run (backend actions, history loads, quit). Pure: the app shell
 * (app.ts) feeds it input, backend events, resizes and command results.
 */

import type { UiEvent } from "./backend.ts";
import type { Msg, Step, UiState } from "./types.ts";
import { appendLive, applyHistory, failLoad, spareRoom } from "./buffer.ts";
import { load, outputOf, select, withOutput } from "./actions.ts";
import { handleInput } from "./keys.ts";

export { initialState } from "./types.ts";
export type { Command, Msg, Step, UiState } from "./types.ts";

function onStatus(s: UiState, processes: UiState["processes"]): Step {
  const names = new Set(processes.map((p) => p.name));
  const outputs: UiState["outputs"] = {};
  for (const [name, out] of Object.entries(s.outputs)) if (names.has(name)) outputs[name] = out;
  const state = { ...s, processes, outputs };
  if (s.selected !== null && names.has(s.selected)) return { state, commands: [] };
  if (!processes.length) return { state: { ...state, selected: null }, commands: [] };
  // Keep the selection near where it was when the selected process went away.
  const oldIndex = s.processes.findIndex((p) => p.name === s.selected);
  const i = Math.max(0, Math.min(processes.length - 1, oldIndex));
  return select(state, processes[i].name);
}

function onBackend(s: UiState, e: UiEvent, dropped: number): Step {
  switch (e.kind) {
    case "status":
      return onStatus(s, e.processes);
    case "lines": {
      const out = outputOf(s, e.name);
      const paused = out.scroll.kind === "paused";
      const buf = appendLive(out.buf, e.lines, paused ? spareRoom(out.buf) : Infinity);
      const unseen = paused ? out.unseen + e.lines.length + dropped : 0;
      return { state: withOutput(s, e.name, { ...out, buf, unseen }), commands: [] };
    }
    case "closed":
      return { state: { ...s, closed: e.reason }, commands: [] };
  }
}

/** After a load: a window that follows but is detached reloads its newest lines. */
function reconcile(s: UiState, name: string): Step {
  const out = s.outputs[name];
  if (out && out.scroll.kind === "follow" && !out.buf.live) return load(s, name, "newest");
  return { state: s, commands: [] };
}

/** Applies one message. */
export function update(s: UiState, msg: Msg): Step {
  switch (msg.kind) {
    case "input":
      return handleInput(s, msg.event);
    case "backend":
      return onBackend(s, msg.event, msg.dropped ?? 0);
    case "resize":
      return { state: { ...s, cols: msg.cols, rows: msg.rows }, commands: [] };
    case "notice":
      return { state: { ...s, notice: msg.notice }, commands: [] };
    case "history": {
      if (!s.outputs[msg.name]) return { state: s, commands: [] };
      const out = outputOf(s, msg.name);
      const r = applyHistory(out.buf, msg.load, msg.lines, msg.limit);
      const state = withOutput(s, msg.name, { ...out, buf: r.buf });
      if (r.fallback) return load(state, msg.name, "newest");
      return reconcile(state, msg.name);
    }
    case "historyFailed": {
      const out = s.outputs[msg.name];
      const notice = {
        level: "error" as const,
        text: `cannot read logs of ${msg.name}: ${msg.error}`,
      };
      if (!out) return { state: { ...s, notice }, commands: [] };
      return {
        state: withOutput({ ...s, notice }, msg.name, { ...out, buf: failLoad(out.buf) }),
        commands: [],
      };
    }
  }
}
