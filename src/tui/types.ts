/**
 * The TUI's state, the messages that change it and the commands it asks the
 * shell (app.ts) to run. The state is plain data; `update` (state.ts) is the
 * only way it changes.
 */

import type { ProcessInfo } from "../model.ts";
import type { UiEvent, UiLine } from "./backend.ts";
import type { InputEvent } from "./input.ts";
import type { LoadKind, OutputBuffer } from "./buffer.ts";
import type { Scroll, StreamMode } from "./layout.ts";
import type { FilterSpec } from "./filter.ts";

/** Output window and scroll position of one process. */
export interface ProcOutput {
  buf: OutputBuffer;
  scroll: Scroll;
  /** Lines that arrived while paused. */
  unseen: number;
}

/** A line for the status bar. */
export type Notice = { level: "info" | "error"; text: string };

/** Whether keys go to the normal bindings, the filter being typed, or a line to send. */
export type InputMode = "normal" | "filter" | "send";

/** Everything the view needs. */
export interface UiState {
  cols: number;
  rows: number;
  processes: ProcessInfo[];
  /** Name of the selected process, null when there is none. */
  selected: string | null;
  outputs: Record<string, ProcOutput>;
  mode: StreamMode;
  filter: FilterSpec;
  input: InputMode;
  notice: Notice | null;
  /** Why the backend closed, null while it is connected. */
  closed: string | null;
  /** True while the key help replaces the output pane. */
  help: boolean;
  /** The line being typed for the selected process's stdin (input mode `send`). */
  sendText: string;
}

/** Everything that can change the state. */
export type Msg =
  | { kind: "input"; event: InputEvent }
  /** A backend event; `dropped` counts lines merged away before it (still on disk). */
  | { kind: "backend"; event: UiEvent; dropped?: number }
  | { kind: "resize"; cols: number; rows: number }
  | { kind: "history"; name: string; load: LoadKind; limit: number; lines: UiLine[] }
  | { kind: "historyFailed"; name: string; error: string }
  | { kind: "notice"; notice: Notice };

/** Side effects the reducer asks for. */
export type Command =
  | { kind: "restart"; name: string }
  | { kind: "stop"; name: string }
  | { kind: "stopAll" }
  | { kind: "send"; name: string; text: string }
  | { kind: "history"; name: string; load: LoadKind; limit: number; beforeSeq?: number }
  | { kind: "redraw" }
  | { kind: "quit"; stopAll: boolean };

/** A new state and the commands to run. */
export interface Step {
  state: UiState;
  commands: Command[];
}

/** The state before anything is known. */
export function initialState(cols: number, rows: number): UiState {
  return {
    cols,
    rows,
    processes: [],
    selected: null,
    outputs: {},
    mode: "both",
    filter: { text: "", regex: false },
    input: "normal",
    notice: null,
    closed: null,
    help: false,
    sendText: "",
  };
}
