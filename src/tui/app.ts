/**
 * `runUi`: the thin shell around the pure core. It owns the terminal (term.ts),
 * reads keys (input.ts), receives backend events, feeds everything to the
 * reducer (state.ts), runs the commands it returns, and draws the view
 * (view.ts) at most ~30 times a second, writing only the rows that changed.
 * Backend events are queued and applied once per frame, so a flooding process
 * costs one reducer step per frame, not one per line.
 */

import type { UiBackend, UiExit } from "./backend.ts";
import { type Command, initialState, type Msg, type UiState, update } from "./state.ts";
import { view } from "./view.ts";
import { diffFrame } from "./render.ts";
import { InputParser } from "./input.ts";
import { enqueue, type Queued } from "./queue.ts";
import { enterTerminal, type UiStdin, type UiStdout, writeAll } from "./term.ts";
import { noColorWanted, stripColor } from "./no_color.ts";

export type { UiStdin, UiStdout } from "./term.ts";

/** Terminal size in cells. */
export interface TermSize {
  columns: number;
  rows: number;
}

/** Where the UI runs; defaults are the process's real terminal. */
export interface RunUiOptions {
  stdin?: UiStdin;
  stdout?: UiStdout;
  /** Current terminal size (called at start and on SIGWINCH). */
  size?: () => TermSize;
  /** Listen to SIGWINCH/SIGTERM/SIGINT/SIGHUP (default true). */
  signals?: boolean;
  /** Called with the state after each drawn frame (tests and diagnostics). */
  onFrame?: (state: UiState) => void;
}

/** Shortest time between two frames, in ms (~30 fps). */
export const FRAME_MS = 33;
/** How long a lone ESC waits for the rest of a sequence, in ms. */
const ESC_WAIT_MS = 40;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs the full-screen UI until the user quits. Resolves "quit" (processes
 * left running; also on SIGTERM/SIGINT/SIGHUP or end of input) or
 * "quit-stop" (after `stopAll` succeeded). The terminal is restored on every
 * path; an internal error rejects after restoring.
 */
export function runUi(backend: UiBackend, opts: RunUiOptions = {}): Promise<UiExit> {
  const stdin = opts.stdin ?? Deno.stdin;
  const stdout = opts.stdout ?? Deno.stdout;
  if (!opts.stdin && !(Deno.stdin.isTerminal() && Deno.stdout.isTerminal())) {
    return Promise.reject(
      new Error("the terminal UI needs an interactive terminal (stdin and stdout)"),
    );
  }
  const size = opts.size ?? (() => Deno.consoleSize());
  const first = size();
  let state: UiState = initialState(first.columns, first.rows);
  let prev: string[] | null = null;
  let lastFrame = 0;
  let frameTimer: ReturnType<typeof setTimeout> | null = null;
  let escTimer: ReturnType<typeof setTimeout> | null = null;
  let finished = false;
  const queue: Queued[] = [];
  const parser = new InputParser();
  const reader = stdin.readable.getReader();
  const term = enterTerminal(stdin, stdout);

  let settle: (r: UiExit) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const done = new Promise<UiExit>((res, rej) => {
    settle = res;
    fail = rej;
  });

  const signals: [Deno.Signal, () => void][] = [];
  const cleanup = () => {
    finished = true;
    if (frameTimer !== null) clearTimeout(frameTimer);
    if (escTimer !== null) clearTimeout(escTimer);
    for (const [sig, fn] of signals) Deno.removeSignalListener(sig, fn);
    reader.cancel().catch(() => {});
    try {
      sub?.close();
    } catch {
      // Closing a dead subscription is not an error worth reporting.
    }
    term.restore();
  };
  const finish = (r: UiExit) => {
    if (finished) return;
    cleanup();
    settle(r);
  };
  const crash = (e: unknown) => {
    if (finished) return;
    cleanup();
    fail(e);
  };

  const plain = noColorWanted();
  const render = () => {
    frameTimer = null;
    if (finished) return;
    try {
      flushQueue();
      const frame = plain ? view(state).map(stripColor) : view(state);
      const out = diffFrame(prev, frame);
      if (out) writeAll(stdout, out);
      prev = frame;
      lastFrame = performance.now();
      opts.onFrame?.(state);
    } catch (e) {
      crash(e);
    }
  };
  const requestRender = () => {
    if (finished || frameTimer !== null) return;
    const wait = Math.max(0, lastFrame + FRAME_MS - performance.now());
    frameTimer = setTimeout(render, wait);
  };

  const run = (cmd: Command) => {
    switch (cmd.kind) {
      case "restart":
      case "stop": {
        const past = cmd.kind === "restart" ? "restarted" : "stopped";
        backend[cmd.kind](cmd.name).then(
          () =>
            dispatch({ kind: "notice", notice: { level: "info", text: `${past} ${cmd.name}` } }),
          (e) =>
            dispatch({
              kind: "notice",
              notice: { level: "error", text: `${cmd.kind} ${cmd.name}: ${message(e)}` },
            }),
        );
        return;
      }
      case "send":
        backend.send(cmd.name, cmd.text).then(
          () =>
            dispatch({ kind: "notice", notice: { level: "info", text: `sent to ${cmd.name}` } }),
          (e) =>
            dispatch({
              kind: "notice",
              notice: { level: "error", text: `send ${cmd.name}: ${message(e)}` },
            }),
        );
        return;
      case "stopAll":
        backend.stopAll().then(
          () =>
            dispatch({ kind: "notice", notice: { level: "info", text: "all processes stopped" } }),
          (e) =>
            dispatch({
              kind: "notice",
              notice: { level: "error", text: `stop all: ${message(e)}` },
            }),
        );
        return;
      case "history":
        backend.history(cmd.name, { limit: cmd.limit, beforeSeq: cmd.beforeSeq }).then(
          (lines) =>
            dispatch({ kind: "history", name: cmd.name, load: cmd.load, limit: cmd.limit, lines }),
          (e) => dispatch({ kind: "historyFailed", name: cmd.name, error: message(e) }),
        );
        return;
      case "redraw":
        prev = null;
        return;
      case "quit":
        if (!cmd.stopAll) return finish("quit");
        backend.stopAll().then(
          () => finish("quit-stop"),
          (e) =>
            dispatch({
              kind: "notice",
              notice: { level: "error", text: `stop all: ${message(e)}` },
            }),
        );
        return;
    }
  };

  function apply(msg: Msg): void {
    const step = update(state, msg);
    state = step.state;
    for (const cmd of step.commands) run(cmd);
  }
  function flushQueue(): void {
    for (const q of queue.splice(0)) apply({ kind: "backend", event: q.event, dropped: q.dropped });
  }
  function dispatch(msg: Msg): void {
    if (finished) return;
    try {
      flushQueue();
      apply(msg);
      requestRender();
    } catch (e) {
      crash(e);
    }
  }

  const onResize = () => {
    const s = size();
    prev = null;
    dispatch({ kind: "resize", cols: s.columns, rows: s.rows });
  };
  if (opts.signals !== false) {
    const quit = () => finish("quit");
    signals.push(["SIGWINCH", onResize], ["SIGTERM", quit], ["SIGINT", quit], ["SIGHUP", quit]);
    for (const [sig, fn] of signals) Deno.addSignalListener(sig, fn);
  }

  let sub: { close(): void } | null = null;
  try {
    sub = backend.subscribe((e) => {
      if (finished) return;
      try {
        enqueue(queue, e);
        requestRender();
      } catch (err) {
        crash(err);
      }
    });
  } catch (e) {
    crash(e);
    return done;
  }
  requestRender();

  (async () => {
    while (!finished) {
      const { value, done: eof } = await reader.read();
      if (eof || finished) break;
      if (escTimer !== null) clearTimeout(escTimer);
      escTimer = null;
      for (const ev of parser.feed(value)) dispatch({ kind: "input", event: ev });
      if (parser.pending) {
        escTimer = setTimeout(() => {
          escTimer = null;
          for (const ev of parser.flush()) dispatch({ kind: "input", event: ev });
        }, ESC_WAIT_MS);
      }
    }
    finish("quit");
  })().catch(crash);

  return done;
}
