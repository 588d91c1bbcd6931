/**
 * Test support for the pure core: `Sim` drives `update` like the app does,
 * answering history loads synchronously from an in-memory log, and renders
 * the view as plain text. Used by the state and view tests only.
 */

import type { ProcessInfo } from "../model.ts";
import type { UiLine } from "./backend.ts";
import { type Command, initialState, type Msg, type UiState, update } from "./state.ts";
import { parseInput } from "./input.ts";
import { view } from "./view.ts";
import { stripSgr } from "./ansi.ts";

/** A simulated UI session over an in-memory log. */
export class Sim {
  state: UiState;
  /** Every command the reducer asked for, in order. */
  commands: Command[] = [];
  /** Full logs per process (what "disk" holds). */
  logs = new Map<string, UiLine[]>();
  /** When false, history commands are recorded but not answered. */
  answerHistory = true;

  constructor(cols = 80, rows = 20) {
    this.state = initialState(cols, rows);
  }

  /** Applies one message and runs its commands (history loads only). */
  send(msg: Msg): this {
    const step = update(this.state, msg);
    this.state = step.state;
    for (const cmd of step.commands) {
      this.commands.push(cmd);
      if (cmd.kind === "history" && this.answerHistory) this.answer(cmd);
    }
    return this;
  }

  /** Answers one history command from the in-memory log. */
  answer(cmd: Extract<Command, { kind: "history" }>): this {
    const log = this.logs.get(cmd.name) ?? [];
    const upTo = cmd.beforeSeq === undefined ? log : log.filter((l) => l.seq < cmd.beforeSeq!);
    return this.send({
      kind: "history",
      name: cmd.name,
      load: cmd.load,
      limit: cmd.limit,
      lines: upTo.slice(-cmd.limit),
    });
  }

  /** Types raw terminal input (keys, escape sequences, mouse reports). */
  keys(raw: string): this {
    for (const event of parseInput(raw, true).events) this.send({ kind: "input", event });
    return this;
  }

  /** Sends a status table. */
  status(infos: ProcessInfo[]): this {
    return this.send({ kind: "backend", event: { kind: "status", processes: infos } });
  }

  /** Appends lines to a log; `live` also sends them as a backend event. */
  emit(name: string, texts: string[], stream: UiLine["stream"] = "stdout", live = true): this {
    const log = this.logs.get(name) ?? [];
    this.logs.set(name, log);
    const from = log.length ? log[log.length - 1].seq + 1 : 0;
    const lines = texts.map((text, i) => ({
      seq: from + i,
      ts: from + i,
      stream,
      text,
      annotation: false,
    }));
    log.push(...lines);
    if (live) this.send({ kind: "backend", event: { kind: "lines", name, lines } });
    return this;
  }

  /** The screen as plain text lines (SGR removed). */
  screen(): string[] {
    return view(this.state).map(stripSgr);
  }

  /** The output pane's rows as plain text, trimmed. */
  output(): string[] {
    const left = this.screen()[1].indexOf("│");
    return this.screen().slice(1, -1).map((l) => l.slice(left + 1).trimEnd().replace(/^[ ▌]/, ""));
  }

  /** Commands of a kind, dropping the rest. */
  sent<K extends Command["kind"]>(kind: K): Extract<Command, { kind: K }>[] {
    return this.commands.filter((c): c is Extract<Command, { kind: K }> => c.kind === kind);
  }
}

/** Numbered texts `prefix0 .. prefix(n-1)`. */
export function texts(n: number, prefix = "line ", from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${from + i}`);
}
