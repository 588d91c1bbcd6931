/**
 * Terminal setup and teardown for the full-screen UI: raw mode, alternate
 * screen, hidden cursor, no auto-wrap, mouse reporting (SGR), and a restore
 * that runs exactly once on every way out: normal return, a thrown error (the
 * caller's `finally`), an uncaught error or rejection elsewhere, and
 * `Deno.exit` (the `unload` event). Signals are handled by the app.
 */

/** What the UI reads keys from (Deno.stdin fits). */
export interface UiStdin {
  readable: ReadableStream<Uint8Array>;
  setRaw?(mode: boolean): void;
}

/** What the UI draws to (Deno.stdout fits). */
export interface UiStdout {
  writeSync(p: Uint8Array): number;
}

/** Sequences that put the terminal into UI mode. */
export const ENTER_SEQ = "\x1b[?1049h" + // alternate screen
  "\x1b[?25l" + // hide cursor
  "\x1b[?7l" + // no auto-wrap
  "\x1b[?1000h\x1b[?1006h" + // mouse buttons and wheel, SGR encoding
  "\x1b[2J";

/** Sequences that undo ENTER_SEQ. */
export const LEAVE_SEQ = "\x1b[?1006l\x1b[?1000l" +
  "\x1b[0m" +
  "\x1b[?7h" +
  "\x1b[?25h" +
  "\x1b[?1049l";

const encoder = new TextEncoder();

/** Writes all of `text`, looping over partial writes. */
export function writeAll(out: UiStdout, text: string): void {
  const bytes = encoder.encode(text);
  let off = 0;
  while (off < bytes.length) off += out.writeSync(bytes.subarray(off));
}

/** The handle to undo `enterTerminal`. */
export interface TermSession {
  /** Restores the terminal; safe to call more than once. */
  restore(): void;
}

/** Switches the terminal into UI mode and arranges for it to be restored on any exit. */
export function enterTerminal(stdin: UiStdin, stdout: UiStdout): TermSession {
  let done = false;
  const restore = () => {
    if (done) return;
    done = true;
    globalThis.removeEventListener("unload", restore);
    globalThis.removeEventListener("error", restore);
    globalThis.removeEventListener("unhandledrejection", restore);
    try {
      writeAll(stdout, LEAVE_SEQ);
    } catch {
      // The terminal may be gone; nothing more to do.
    }
    try {
      stdin.setRaw?.(false);
    } catch {
      // Same: a closed stdin cannot be restored.
    }
  };
  globalThis.addEventListener("unload", restore);
  globalThis.addEventListener("error", restore);
  globalThis.addEventListener("unhandledrejection", restore);
  try {
    stdin.setRaw?.(true);
    writeAll(stdout, ENTER_SEQ);
  } catch (e) {
    restore();
    throw e;
  }
  return { restore };
}
