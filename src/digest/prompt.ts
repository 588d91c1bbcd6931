/**
 * Is a process waiting for an answer? (SPEC §16) A pure detector over the
 * unterminated tail of its output and how long it has been silent: the tail
 * must look like a question (ends with `?`, `:`, `>` or a prompt arrow, maybe
 * followed by a default such as `(y)`; or carries `(y/n)`, `[Y/n]`,
 * `(yes/no)`, `password`, `Press`), must not be a progress bar or a spinner,
 * and the process must have printed nothing for `PROMPT_SILENCE_MS`. The
 * wording of the errors and hints about prompts is in `prompt_text.ts`.
 */

import { collapseCarriageReturns, stripAnsi } from "./clean.ts";

/** Silence after an unterminated question that makes it a prompt that waits (ms). */
export const PROMPT_SILENCE_MS = 1000;

/** Longest prompt reported (longer ones are cut with `…`). */
export const MAX_PROMPT_CHARS = 200;

/** Tails longer than this are output without a newline (a minified blob), not a question. */
const MAX_TAIL_CHARS = 1000;

// Moves to column 1 (`ESC[G`, `ESC[1G`) and "erase line" (`ESC[2K`) redraw a line like `\r`.
// deno-lint-ignore no-control-regex
const REDRAW = /\x1b\[(?:1?G|2K)/g;
/** A yes/no choice: `(y/n)`, `[Y/n]`, `(yes/no)`, `(y)`, `[N/y]`. */
const YES_NO = /[([]\s*(?:y(?:es)?|n(?:o)?)\s*(?:\/\s*(?:y(?:es)?|n(?:o)?)\s*)*[)\]]/i;
/** Words that only prompts print without a newline. */
const PROMPT_WORDS = /password|passphrase|\bPress\b/i;
/** A default offered after the question: `Ok to proceed? (y)`, `name: (my-app)`. */
const TRAILING_DEFAULT = /\s*[([][^()[\]]{0,40}[)\]]$/;
/** How a question ends: `?`, `:`, `>`, or the arrows of prompt libraries (`›`, `❯`, `»`). */
const QUESTION_END = /[?:>›❯»]$/;
/** A progress bar or percentage. */
const PROGRESS = /\d{1,3}(?:\.\d+)?\s?%|[=#█▓▒░━■]{3,}/;
/** A spinner frame at the start (npm, ora, cli-spinners' braille and line frames). */
const SPINNER = /^(?:[\u2800-\u28ff]|[|/\\-]\s)/;

/** The question the unterminated tail of some output asks, or null when it is not one. */
export function promptText(tail: string): string | null {
  if (!tail) return null;
  const text = collapseCarriageReturns(stripAnsi(tail.replace(REDRAW, "\r"))).trim();
  if (!text || text.length > MAX_TAIL_CHARS) return null;
  const yesNo = YES_NO.test(text);
  if (!yesNo && (PROGRESS.test(text) || SPINNER.test(text))) return null;
  const asks = yesNo || PROMPT_WORDS.test(text) ||
    QUESTION_END.test(text.replace(TRAILING_DEFAULT, "").trimEnd());
  if (!asks) return null;
  return text.length > MAX_PROMPT_CHARS ? text.slice(0, MAX_PROMPT_CHARS - 1) + "…" : text;
}

/**
 * The prompt a process is waiting at: its tail asks a question and it has been
 * silent for at least `PROMPT_SILENCE_MS`; else null.
 */
export function awaitingPrompt(tail: string, silentMs: number): string | null {
  return silentMs >= PROMPT_SILENCE_MS ? promptText(tail) : null;
}
