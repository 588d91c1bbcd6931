/** Tests of the raw-input parser: keys, escape sequences split across reads, mouse reports. */

import { deepEqual as assertEquals } from "node:assert/strict";
import { type InputEvent, InputParser, parseInput } from "./input.ts";

const enc = new TextEncoder();

function feedAll(chunks: (string | Uint8Array)[]): InputEvent[] {
  const p = new InputParser();
  const out: InputEvent[] = [];
  for (const c of chunks) out.push(...p.feed(typeof c === "string" ? enc.encode(c) : c));
  return out;
}

Deno.test("plain characters, control keys and named keys", () => {
  assertEquals(parseInput("jk Q").events, [
    { kind: "char", char: "j" },
    { kind: "char", char: "k" },
    { kind: "char", char: " " },
    { kind: "char", char: "Q" },
  ]);
  assertEquals(parseInput("\x03\x12\r\t\x7f").events, [
    { kind: "ctrl", char: "c" },
    { kind: "ctrl", char: "r" },
    { kind: "key", key: "enter" },
    { kind: "key", key: "tab" },
    { kind: "key", key: "backspace" },
  ]);
  assertEquals(parseInput("é🎉").events, [{ kind: "char", char: "é" }, {
    kind: "char",
    char: "🎉",
  }]);
});

Deno.test("CSI and SS3 sequences map to keys", () => {
  const keys = (s: string) => parseInput(s).events.map((e) => (e.kind === "key" ? e.key : e.kind));
  assertEquals(keys("\x1b[A\x1b[B\x1b[C\x1b[D"), ["up", "down", "right", "left"]);
  assertEquals(keys("\x1bOA\x1bOB\x1bOH\x1bOF"), ["up", "down", "home", "end"]);
  assertEquals(keys("\x1b[5~\x1b[6~\x1b[H\x1b[F\x1b[1~\x1b[4~\x1b[7~\x1b[8~"), [
    "pageup",
    "pagedown",
    "home",
    "end",
    "home",
    "end",
    "home",
    "end",
  ]);
  assertEquals(keys("\x1b[1;5A\x1b[3~\x1b[Z"), ["up", "delete", "backtab"]);
  // Unknown sequences are swallowed whole, not typed as text.
  assertEquals(parseInput("\x1b[200~x").events, [{ kind: "char", char: "x" }]);
});

Deno.test("an escape sequence split across reads is completed by the next read", () => {
  assertEquals(feedAll(["\x1b", "[", "A"]), [{ kind: "key", key: "up" }]);
  assertEquals(feedAll(["j\x1b[", "5", "~k"]), [
    { kind: "char", char: "j" },
    { kind: "key", key: "pageup" },
    { kind: "char", char: "k" },
  ]);
  assertEquals(feedAll(["\x1bO", "B"]), [{ kind: "key", key: "down" }]);
});

Deno.test("UTF-8 split across reads is decoded once complete", () => {
  const bytes = enc.encode("漢");
  assertEquals(feedAll([bytes.slice(0, 1), bytes.slice(1, 2), bytes.slice(2)]), [{
    kind: "char",
    char: "漢",
  }]);
});

Deno.test("a lone ESC waits for more bytes, then becomes the Escape key on flush", () => {
  const p = new InputParser();
  assertEquals(p.feed(enc.encode("\x1b")), []);
  assertEquals(p.pending, true);
  assertEquals(p.flush(), [{ kind: "key", key: "escape" }]);
  assertEquals(p.pending, false);
  // ESC followed by a plain key in the same read (Alt+key) gives Escape then the key.
  assertEquals(parseInput("\x1bq").events, [{ kind: "key", key: "escape" }, {
    kind: "char",
    char: "q",
  }]);
  assertEquals(parseInput("\x1b\x1b[A").events, [{ kind: "key", key: "escape" }, {
    kind: "key",
    key: "up",
  }]);
});

Deno.test("SGR mouse reports: click, release, wheel, drag (0-based cells)", () => {
  assertEquals(parseInput("\x1b[<0;5;8M\x1b[<0;5;8m").events, [
    { kind: "mouse", action: "press", button: 0, col: 4, row: 7 },
    { kind: "mouse", action: "release", button: 0, col: 4, row: 7 },
  ]);
  assertEquals(parseInput("\x1b[<64;30;3M\x1b[<65;30;3M").events, [
    { kind: "mouse", action: "wheelup", button: 0, col: 29, row: 2 },
    { kind: "mouse", action: "wheeldown", button: 1, col: 29, row: 2 },
  ]);
  assertEquals(parseInput("\x1b[<32;2;2M").events, [{
    kind: "mouse",
    action: "drag",
    button: 0,
    col: 1,
    row: 1,
  }]);
  assertEquals(parseInput("\x1b[<2;1;1M").events, [{
    kind: "mouse",
    action: "press",
    button: 2,
    col: 0,
    row: 0,
  }]);
});

Deno.test("a mouse report split across reads", () => {
  assertEquals(feedAll(["\x1b[<64;1", "0;20", "M"]), [{
    kind: "mouse",
    action: "wheelup",
    button: 0,
    col: 9,
    row: 19,
  }]);
  assertEquals(feedAll(["\x1b[<0;3;4Mj\x1b[<0;", "3;4m"]), [
    { kind: "mouse", action: "press", button: 0, col: 2, row: 3 },
    { kind: "char", char: "j" },
    { kind: "mouse", action: "release", button: 0, col: 2, row: 3 },
  ]);
});

Deno.test("flush drops an unfinished sequence instead of typing it", () => {
  const p = new InputParser();
  assertEquals(p.feed(enc.encode("\x1b[<0;3")), []);
  assertEquals(p.flush(), []);
  assertEquals(p.feed(enc.encode("q")), [{ kind: "char", char: "q" }]);
});
