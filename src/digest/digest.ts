/**
 * The failure digest: from a failed incarnation's last output, the few lines
 * that say why it failed. Lines are cleaned (`clean.ts`), then the decisive
 * error is found and the block around it kept: a Python traceback down to
 * its exception line, a JS/Deno error with its first frames, a Go or Rust
 * panic, a Rust `error[E…]`, a TypeScript error, a `FATAL`/`fatal:` line,
 * `npm ERR!` lines, a generic error line, or the last lines when nothing
 * looks like an error. At most 20 lines and 2,000 bytes. Pure.
 */

import { cleanLines, collapseCarriageReturns, showLine, stripAnsi } from "./clean.ts";

/** Most lines a digest has. */
export const MAX_DIGEST_LINES = 20;
/** Most bytes (UTF-8) a digest has, newlines included. */
export const MAX_DIGEST_BYTES = 2000;
/** Longest line kept whole; longer ones are cut with `…`. */
export const MAX_LINE_CHARS = 240;

/** A digest: its lines and the one line that names the error. */
export interface Digest {
  lines: string[];
  /** The decisive error line (or the last line), for one-line summaries. */
  headline: string;
}

/** How decisive a kind of line is: a language's own error beats a wrapper's or a guess. */
const enum Rank {
  Generic = 1,
  Wrapper = 2,
  Specific = 3,
}

interface Anchor {
  at: number;
  rank: Rank;
  /** Index of the first and one past the last line of the block. */
  from: number;
  to: number;
}

const EXCEPTION =
  /^(Uncaught )?([A-Za-z_$][\w.$]*)?(Error|Exception|Interrupt)\b(\s*\[\w+\])?(:|$)/;
const SUMMARY =
  /^(error: (aborting due to|Type checking failed|could not compile)|Found \d+ errors?)/;

const isIndented = (s: string) => /^\s/.test(s);
const isFrame = (s: string) => /^\s+at /.test(s);

/** The block of a JS/Python-style exception line at `i`: context above, frames below. */
function exceptionBlock(texts: string[], i: number): [number, number] {
  let from = i;
  // A Python traceback: back to its header, through the indented frames.
  for (let k = i - 1; k >= 0 && (isIndented(texts[k]) || texts[k].startsWith("Traceback ")); k--) {
    from = k;
    if (texts[k].startsWith("Traceback ")) break;
  }
  if (from === i) {
    // Node prints the source line and a caret above the error: keep up to 4 such lines.
    for (let k = i - 1; k >= Math.max(0, i - 4); k--) {
      if (texts[k] === "" && k < i - 1) break;
      from = k;
    }
    while (from < i && texts[from] === "") from++;
  }
  let to = i + 1;
  while (to < texts.length && to < i + 5 && texts[to] !== "" && !EXCEPTION.test(texts[to])) {
    if (!isFrame(texts[to]) && !isIndented(texts[to]) && isFrame(texts[to - 1] ?? "")) break;
    to++;
  }
  return [from, to];
}

/** Lines from `i` while `keep` holds, at most `max`. */
function runFrom(texts: string[], i: number, max: number, keep: (s: string) => boolean): number {
  let to = i + 1;
  while (to < texts.length && to < i + max && keep(texts[to])) to++;
  return to;
}

function anchorAt(texts: string[], i: number): Anchor | null {
  const t = texts[i];
  const s = t.trimStart();
  // A browser console line (stream `browser`): an error exactly when its level is error.
  if (s.startsWith("[browser] ")) {
    return s.startsWith("[browser] error ")
      ? { at: i, rank: Rank.Specific, from: i, to: i + 1 }
      : null;
  }
  if (/^error: Uncaught/.test(s) || (EXCEPTION.test(s) && !isIndented(t))) {
    const [from, to] = exceptionBlock(texts, i);
    return { at: i, rank: Rank.Specific, from, to };
  }
  if (/^(TS\d+ \[ERROR\]:|.*\berror TS\d+:)/.test(s)) {
    return { at: i, rank: Rank.Specific, from: i, to: runFrom(texts, i, 4, (x) => x !== "") };
  }
  if (/^panic: /.test(s) || /^thread '.*' (\(\d+\) )?panicked at /.test(s)) {
    const max = s.startsWith("panic:") ? 8 : 2;
    return { at: i, rank: Rank.Specific, from: i, to: runFrom(texts, i, max, () => true) };
  }
  if (/^error\[E\d+\]: /.test(s)) {
    return { at: i, rank: Rank.Specific, from: i, to: runFrom(texts, i, 10, (x) => x !== "") };
  }
  if (/\bFATAL\b|^fatal: /.test(s)) {
    return { at: i, rank: Rank.Specific, from: i, to: runFrom(texts, i, 3, (x) => x !== "") };
  }
  if (/^npm (ERR!|error) /.test(s)) {
    return { at: i, rank: Rank.Wrapper, from: i, to: runFrom(texts, i, 6, (x) => /^npm /.test(x)) };
  }
  if (
    !SUMMARY.test(s) &&
    /\berror\b|\bfailed\b|not found|No such file|Permission denied|EADDRINUSE|refused/i.test(s)
  ) {
    return {
      at: i,
      rank: Rank.Generic,
      from: Math.max(0, i - 2),
      to: Math.min(texts.length, i + 8),
    };
  }
  return null;
}

/**
 * True when a line looks like an error (what `--settle` counts in a burst):
 * any line the digest would anchor on, except summaries of success such as
 * `Found 0 errors`.
 */
export function isErrorLine(text: string): boolean {
  const t = collapseCarriageReturns(stripAnsi(text)).trimEnd();
  if (/\b(0|no) errors?\b/i.test(t)) return false;
  return anchorAt([t], 0) !== null;
}

/**
 * The decisive anchor: of the highest rank present, the last one (the error
 * that ended the run), except npm's lines, whose first run names the failure.
 */
function chooseAnchor(texts: string[]): Anchor | null {
  let best: Anchor | null = null;
  for (let i = 0; i < texts.length; i++) {
    const a = anchorAt(texts, i);
    if (!a) continue;
    const later = a.rank !== Rank.Wrapper;
    if (!best || a.rank > best.rank || (a.rank === best.rank && later)) best = a;
  }
  return best;
}

function cut(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line;
}

const bytes = (lines: string[]) => new TextEncoder().encode(lines.join("\n")).length;

/** Fits lines into the caps, keeping the first line and the lines nearest the end. */
export function fit(lines: string[]): string[] {
  let out = lines.map(cut);
  if (out.length > MAX_DIGEST_LINES) {
    out = [out[0], "…", ...out.slice(out.length - (MAX_DIGEST_LINES - 2))];
  }
  while (out.length > 2 && bytes(out) > MAX_DIGEST_BYTES) {
    out = out[1] === "…" ? [out[0], "…", ...out.slice(3)] : [out[0], "…", ...out.slice(2)];
  }
  if (bytes(out) > MAX_DIGEST_BYTES) out = [cut(out[0]).slice(0, MAX_DIGEST_BYTES - 1) + "…"];
  return out;
}

/** Builds the digest of an incarnation's last output lines (both streams, in order). */
export function buildDigest(raw: readonly string[]): Digest {
  const clean = cleanLines(raw);
  while (clean.length && clean[clean.length - 1].text === "") clean.pop();
  const texts = clean.map((l) => l.text);
  const anchor = chooseAnchor(texts);
  const [from, to] = anchor
    ? [anchor.from, anchor.to]
    : [Math.max(0, clean.length - MAX_DIGEST_LINES), clean.length];
  const lines = fit(clean.slice(from, to).map(showLine));
  const headline = anchor ? cut(showLine(clean[anchor.at]).trim()) : lines[lines.length - 1] ?? "";
  return { lines, headline };
}
