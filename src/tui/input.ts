/**
 * Terminal input parsing: raw bytes from stdin in raw mode become key and
 * mouse events. Escape sequences may arrive split across reads, so the parser
 * keeps an unfinished tail and completes it with the next chunk; a lone ESC is
 * only reported as the Escape key once the caller says no more bytes came
 * (`flush`, after a short pause).
 */

/** Named (non-character) keys. */
export type KeyName =
  | "up"
  | "down"
  | "left"
  | "right"
  | "pageup"
  | "pagedown"
  | "home"
  | "end"
  | "insert"
  | "delete"
  | "enter"
  | "escape"
  | "backspace"
  | "tab"
  | "backtab";

/** Mouse actions, from SGR (1006) mouse reports. */
export type MouseAction = "press" | "release" | "drag" | "wheelup" | "wheeldown";

/** One input event. Columns and rows are 0-based. */
export type InputEvent =
  | { kind: "char"; char: string }
  | { kind: "key"; key: KeyName }
  | { kind: "ctrl"; char: string }
  | { kind: "mouse"; action: MouseAction; button: number; col: number; row: number };

/** Result of parsing: events, and the unfinished tail to prepend to the next chunk. */
export interface ParseResult {
  events: InputEvent[];
  rest: string;
}

const CSI_TILDE: Record<string, KeyName> = {
  "1": "home",
  "2": "insert",
  "3": "delete",
  "4": "end",
  "5": "pageup",
  "6": "pagedown",
  "7": "home",
  "8": "end",
};

const CSI_FINAL: Record<string, KeyName> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
  Z: "backtab",
};

function mouseEvent(params: string, final: string): InputEvent | null {
  const m = /^<(\d+);(\d+);(\d+)$/.exec(params);
  if (!m) return null;
  const code = Number(m[1]);
  const col = Number(m[2]) - 1;
  const row = Number(m[3]) - 1;
  const button = code & 3;
  let action: MouseAction;
  if (code & 64) action = button === 0 ? "wheelup" : "wheeldown";
  else if (code & 32) action = "drag";
  else action = final === "M" ? "press" : "release";
  return { kind: "mouse", action, button, col, row };
}

/** Decodes one complete CSI sequence (params and final byte) into an event, or null to ignore it. */
function csiEvent(params: string, final: string): InputEvent | null {
  if (params.startsWith("<") && (final === "M" || final === "m")) return mouseEvent(params, final);
  if (final === "~") {
    const key = CSI_TILDE[params.split(";")[0]];
    return key ? { kind: "key", key } : null;
  }
  const key = CSI_FINAL[final];
  return key ? { kind: "key", key } : null;
}

function controlEvent(c: number): InputEvent | null {
  if (c === 0x0d || c === 0x0a) return { kind: "key", key: "enter" };
  if (c === 0x09) return { kind: "key", key: "tab" };
  if (c === 0x7f || c === 0x08) return { kind: "key", key: "backspace" };
  if (c >= 0x01 && c <= 0x1a) return { kind: "ctrl", char: String.fromCharCode(c + 0x60) };
  return null;
}

/**
 * Parses decoded input text. With `final` false, an incomplete escape sequence
 * at the end is returned as `rest`; with `final` true it is resolved (a lone
 * ESC becomes the Escape key, an unfinished sequence is dropped).
 */
export function parseInput(text: string, final = false): ParseResult {
  const events: InputEvent[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== "\x1b") {
      const c = text.charCodeAt(i);
      const cp = text.codePointAt(i) ?? c;
      const len = cp > 0xffff ? 2 : 1;
      if (c < 0x20 || c === 0x7f) {
        const ev = controlEvent(c);
        if (ev) events.push(ev);
      } else {
        events.push({ kind: "char", char: text.slice(i, i + len) });
      }
      i += len;
      continue;
    }
    // Escape sequences.
    if (i + 1 >= text.length) {
      if (!final) return { events, rest: text.slice(i) };
      events.push({ kind: "key", key: "escape" });
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === "[") {
      let j = i + 2;
      while (j < text.length && !(text.charCodeAt(j) >= 0x40 && text.charCodeAt(j) <= 0x7e)) {
        j++;
      }
      if (j >= text.length) {
        if (!final) return { events, rest: text.slice(i) };
        i = text.length;
        continue;
      }
      const ev = csiEvent(text.slice(i + 2, j), text[j]);
      if (ev) events.push(ev);
      i = j + 1;
    } else if (next === "O") {
      if (i + 2 >= text.length) {
        if (!final) return { events, rest: text.slice(i) };
        i = text.length;
        continue;
      }
      const key = CSI_FINAL[text[i + 2]];
      if (key) events.push({ kind: "key", key });
      i += 3;
    } else if (next === "\x1b") {
      events.push({ kind: "key", key: "escape" });
      i++;
    } else {
      // Alt+key (ESC prefix): report Escape, then the key itself.
      events.push({ kind: "key", key: "escape" });
      i++;
    }
  }
  return { events, rest: "" };
}

/** Stateful wrapper: decodes UTF-8 across chunks and keeps unfinished escape sequences. */
export class InputParser {
  #decoder = new TextDecoder("utf-8", { fatal: false });
  #rest = "";

  /** Feeds one chunk of raw bytes; returns the events it completed. */
  feed(bytes: Uint8Array): InputEvent[] {
    const text = this.#rest + this.#decoder.decode(bytes, { stream: true });
    const r = parseInput(text);
    this.#rest = r.rest;
    return r.events;
  }

  /** True when an unfinished sequence (such as a lone ESC) is waiting for more bytes. */
  get pending(): boolean {
    return this.#rest !== "";
  }

  /** Resolves what is pending after a pause in input (a lone ESC becomes Escape). */
  flush(): InputEvent[] {
    const r = parseInput(this.#rest, true);
    this.#rest = "";
    return r.events;
  }
}
