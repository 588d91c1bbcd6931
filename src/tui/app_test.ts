/**
 * Tests of `runUi` on a fake terminal (a stream for stdin, a recording
 * stdout that replays row writes into a screen) and the fake backend:
 * drawing, keys to backend actions, errors shown, quitting, terminal restore
 * on every path, resize, and a flood.
 */

import { equal, ok, rejects } from "node:assert/strict";
import { FRAME_MS, runUi } from "./app.ts";
import { FakeBackend, fakeInfo } from "./fake_backend.ts";
import { ENTER_SEQ, LEAVE_SEQ, type UiStdin, type UiStdout } from "./term.ts";
import { stripSgr } from "./ansi.ts";
import type { UiState } from "./types.ts";
import { MAX_LINES } from "./buffer.ts";
import type { UiBackend, UiLine } from "./backend.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
// deno-lint-ignore no-control-regex -- replaying terminal output
const MOVE = /\x1b\[(\d+);1H/;

/** A terminal stand-in: typed input, and a screen rebuilt from what the UI writes. */
class FakeTerm {
  out = "";
  frames = 0;
  raw: boolean[] = [];
  rows: string[] = [];
  #ctrl!: ReadableStreamDefaultController<Uint8Array>;
  stdin: UiStdin;
  stdout: UiStdout;

  constructor(public cols: number, public height: number) {
    this.stdin = {
      readable: new ReadableStream<Uint8Array>({ start: (c) => void (this.#ctrl = c) }),
      setRaw: (m) => void this.raw.push(m),
    };
    this.stdout = {
      writeSync: (p) => {
        this.#apply(dec.decode(p));
        return p.length;
      },
    };
  }

  writes: string[] = [];

  #apply(s: string): void {
    this.out += s;
    this.writes.push(s);
    if (s.includes("\x1b[?2026h")) this.frames++;
    if (s.includes("\x1b[2J")) this.rows = [];
    const parts = s.split(MOVE);
    for (let i = 1; i + 1 < parts.length; i += 2) {
      this.rows[Number(parts[i]) - 1] = stripSgr(
        parts[i + 1].replaceAll("\x1b[?2026h", "").replaceAll("\x1b[?2026l", ""),
      );
    }
  }

  type(s: string): void {
    this.#ctrl.enqueue(enc.encode(s));
  }

  end(): void {
    this.#ctrl.close();
  }

  text(): string {
    return this.rows.join("\n");
  }
}

/** Polls until `cond` holds, failing after `ms` with what the screen showed. */
async function until(term: FakeTerm, what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; screen:\n${term.text()}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

function start(
  b: UiBackend,
  cols = 80,
  rows = 16,
  onFrame?: (s: UiState) => void,
  signals = false,
) {
  const term = new FakeTerm(cols, rows);
  const size = { columns: cols, rows };
  const done = runUi(b, {
    stdin: term.stdin,
    stdout: term.stdout,
    size: () => size,
    signals,
    onFrame,
  });
  return { term, done, size };
}

function backend(): FakeBackend {
  const b = new FakeBackend();
  b.setInfo(fakeInfo("web", { ready: true }));
  b.setInfo(fakeInfo("api"));
  b.emit("web", ["web says hello"]);
  b.emit("api", ["api says hi"]);
  return b;
}

Deno.test("runUi draws, forwards keys to the backend, and q quits restoring the terminal", async () => {
  const b = backend();
  const { term, done } = start(b);
  await until(term, "web output", () => term.text().includes("web says hello"));
  ok(term.out.startsWith(ENTER_SEQ), "entered the alternate screen first");
  term.type("j");
  await until(term, "api selected", () => term.text().includes("api says hi"));
  term.type("r");
  await until(term, "restart notice", () => term.text().includes("restarted api"));
  ok(b.calls.includes("restart api"));
  await until(term, "annotation", () => term.text().includes("[agent-procs] Restarted (manual)"));
  term.type("q");
  equal(await done, "quit");
  ok(term.out.endsWith(LEAVE_SEQ), "left the alternate screen last");
  equal(term.raw.join(","), "true,false");
  equal(b.subscribers, 0, "subscription closed");
  ok(!b.calls.includes("stopAll"), "q leaves processes running");
});

Deno.test("backend errors show in the status bar; Q stops everything and quits once that worked", async () => {
  const b = backend();
  b.failActions = "daemon busy";
  const { term, done } = start(b);
  await until(term, "first frame", () => term.text().includes("web says hello"));
  term.type("x");
  await until(term, "stop error", () => term.text().includes("stop web: daemon busy"));
  term.type("Q");
  await until(term, "stop-all error", () => term.text().includes("stop all: daemon busy"));
  b.failActions = null;
  term.type("Q");
  equal(await done, "quit-stop");
  ok(b.infos.every((p) => p.state === "stopped"));
  ok(term.out.endsWith(LEAVE_SEQ));
});

Deno.test("a crash inside the UI rejects runUi after restoring the terminal", async () => {
  const b = backend();
  const { term, done } = start(b);
  await until(term, "first frame", () => term.text().includes("web says hello"));
  // A malformed event from a buggy backend makes the reducer throw.
  b.push({ kind: "lines", name: "web", lines: null as unknown as UiLine[] });
  await rejects(done, TypeError);
  ok(term.out.endsWith(LEAVE_SEQ));
  equal(term.raw.join(","), "true,false");
  equal(b.subscribers, 0);
});

Deno.test("stdin ending quits; a throwing subscribe rejects, both restoring the terminal", async () => {
  const { term, done } = start(backend());
  await until(term, "first frame", () => term.text().includes("web says hello"));
  term.end();
  equal(await done, "quit");
  ok(term.out.endsWith(LEAVE_SEQ));

  const bad = backend();
  bad.subscribe = () => {
    throw new Error("cannot connect");
  };
  const t2 = start(bad);
  await rejects(t2.done, /cannot connect/);
  ok(t2.term.out.endsWith(LEAVE_SEQ));
  equal(t2.term.raw.join(","), "true,false");
});

Deno.test("only changed rows are redrawn; SIGWINCH redraws everything at the new size", async () => {
  const b = backend();
  const { term, done, size } = start(b, 80, 16, undefined, true);
  b.emit("web", Array.from({ length: 30 }, (_, i) => `filler ${i}`));
  await until(term, "filled pane", () => term.text().includes("filler 29"));
  term.type(" ");
  await until(term, "paused", () => term.rows[0].includes("paused"));
  const before = term.writes.length;
  b.emit("web", ["while paused"]);
  await until(term, "+1 new", () => term.rows[0].includes("+1 new"));
  const moves = term.writes.slice(before).join("").split(MOVE).length;
  equal((moves - 1) / 2, 1, "only the header row was rewritten");
  size.columns = 50;
  size.rows = 12;
  Deno.kill(Deno.pid, "SIGWINCH");
  await until(
    term,
    "redraw at 50x12",
    () => term.rows.length === 12 && term.rows[11].length === 50,
  );
  term.type("q");
  equal(await done, "quit");
});

Deno.test("a flooding process: bounded window, frames capped near 30 fps, keys still answered", async () => {
  const b = backend();
  b.setInfo(fakeInfo("flood"));
  let maxWindow = 0;
  const { term, done } = start(b, 100, 30, (s) => {
    for (const o of Object.values(s.outputs)) maxWindow = Math.max(maxWindow, o.buf.lines.length);
  });
  await until(term, "first frame", () => term.text().includes("web says hello"));
  term.type("jj");
  await until(term, "flood selected", () => term.rows[0].includes("flood"));
  const total = 200_000;
  const t0 = performance.now();
  const frames0 = term.frames;
  let keyAt = 0;
  let latency = -1;
  for (let sent = 0; sent < total; sent += 1000) {
    b.emit("flood", Array.from({ length: 1000 }, (_, i) => `flood ${sent + i} \x1b[32mok\x1b[0m`));
    if (sent === total / 2) {
      keyAt = performance.now();
      term.type("u");
    }
    if (keyAt && latency < 0 && term.rows[0].includes("paused")) {
      latency = performance.now() - keyAt;
    }
    await new Promise((r) => setTimeout(r, 0));
  }
  const elapsed = performance.now() - t0;
  const frames = term.frames - frames0;
  await until(term, "paused shown", () => term.rows[0].includes("paused"));
  if (latency < 0) latency = performance.now() - keyAt;
  await until(term, "all lines counted", () => {
    const unseen = Number(/\+(\d+) new/.exec(term.rows[0])?.[1] ?? 0);
    return unseen > total / 2 - 20_000 && unseen <= total / 2;
  });
  term.type("G");
  await until(
    term,
    "newest line after resume",
    () => term.text().includes(`flood ${total - 1} ok`),
  );
  console.log(
    `flood: ${total} lines in ${elapsed.toFixed(0)} ms, ${frames} frames, key latency ${
      latency.toFixed(0)
    } ms, max window ${maxWindow} lines`,
  );
  ok(frames <= elapsed / FRAME_MS + 3, `${frames} frames in ${elapsed.toFixed(0)} ms`);
  ok(maxWindow <= MAX_LINES, `window grew to ${maxWindow}`);
  ok(latency < 1000, `key took ${latency.toFixed(0)} ms`);
  term.type("q");
  equal(await done, "quit");
});

Deno.test("runUi: i opens a field whose line Enter sends to the selected process", async () => {
  const b = backend();
  b.setInfo(fakeInfo("api", {
    stdin: "pipe",
    awaiting_input: { prompt: "Proceed? (y/n)", since: new Date(0).toISOString() },
  }));
  const { term, done } = start(b);
  await until(term, "web output", () => term.text().includes("web says hello"));
  term.type("j");
  await until(term, "api at its prompt", () => term.text().includes('input?: "Proceed? (y/n)"'));
  term.type("i");
  await until(term, "the send field", () => term.text().includes("send to api ›"));
  term.type("y\r");
  await until(term, "sent notice", () => term.text().includes("sent to api"));
  ok(b.calls.includes("send api y"));
  await until(term, "what api read", () => term.text().includes("read y"));
  term.type("q");
  equal(await done, "quit");
});
