/**
 * Turning a block's stored bytes into `LogLine`s: used by the writer for live
 * listeners and by the reader. The bytes of a block are its lines, each
 * followed by one "\n"; they are decoded once and split on newlines (UTF-8
 * decoding never swallows a "\n", so this equals decoding each line alone).
 */

import { FLAG_ANNOTATION, STREAM_NAMES, type StreamName, type StreamNo } from "./index_format.ts";
import { decodeUtf8, visibleText } from "./text.ts";

/** One log line as read back or delivered live. */
export interface LogLine {
  /** Position in the process's log: one sequence for both streams, across restarts and segments. */
  seq: number;
  /** When the line completed, ms since the epoch. */
  ts: number;
  /** Stream it came from (annotations are stdout). */
  stream: StreamName;
  /** Generation (spawn count) of the process that printed it. */
  generation: number;
  /** Decoded text (see text.ts for the `\r` rules). */
  text: string;
  /** Whether this is a supervisor annotation. */
  annotation: boolean;
}

/** What the lines of one block share. */
export interface BlockMeta {
  /** Sequence of the block's first line. */
  seq: number;
  ts: number;
  generation: number;
  stream: StreamNo;
  flags: number;
}

/** The shown texts of the lines in `bytes` (lines each ending with "\n"). */
export function blockTexts(bytes: Uint8Array): string[] {
  const parts = decodeUtf8(bytes).split("\n");
  parts.pop(); // after the last newline
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.length && (p.charCodeAt(p.length - 1) === 13 || p.includes("\r"))) {
      parts[i] = visibleText(p);
    }
  }
  return parts;
}

/** Appends the lines of one block (its stored bytes) to `out`. */
export function pushBlockLines(out: LogLine[], meta: BlockMeta, bytes: Uint8Array): void {
  const texts = blockTexts(bytes);
  const stream = STREAM_NAMES[meta.stream];
  const annotation = (meta.flags & FLAG_ANNOTATION) !== 0;
  for (let i = 0; i < texts.length; i++) {
    out.push({
      seq: meta.seq + i,
      ts: meta.ts,
      stream,
      generation: meta.generation,
      text: texts[i],
      annotation,
    });
  }
}
