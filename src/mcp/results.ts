/**
 * Shaping tool results for MCP: a successful call becomes concise text (the
 * lines the CLI prints) plus `structuredContent` (what `--json` prints); a
 * failure becomes a tool error (`isError: true`) whose text is exactly the
 * CLI's `error: ...` block (`errorLines`). Pure functions, no SDK import (types only).
 */

import type { CallToolResult } from "@modelcontextprotocol/server";
import { errorLines, exitCodeOf } from "../errors.ts";

/** The `_meta` key of a tool error that carries the CLI's exit code (1, or 2 for "not found"). */
export const EXIT_CODE_KEY = "agent-procs/exitCode";

/** What a tool handler produced. */
export type ToolOutcome =
  /** Success: the CLI's text lines and its JSON document. */
  | { kind: "ok"; lines: string[]; data: Record<string, unknown> }
  /** The command ran but reports failure (exit 1), e.g. a process of `up` failed. */
  | { kind: "failed"; lines: string[]; data: Record<string, unknown> }
  /** The client cancelled the call: nothing is sent back. */
  | { kind: "cancelled" };

/** A tool error result carrying the CLI's error text and exit code. */
export function errorResult(e: unknown): CallToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: errorLines(e).join("\n") }],
    _meta: { [EXIT_CODE_KEY]: exitCodeOf(e) },
  };
}

/** The text block of an outcome's lines (never empty, so clients always show something). */
export function outcomeText(lines: string[]): string {
  return lines.length ? lines.join("\n") : "(no output)";
}

/** Turns a handler's outcome into a tool result. */
export function toResult(o: ToolOutcome): CallToolResult {
  switch (o.kind) {
    case "ok":
      return {
        content: [{ type: "text", text: outcomeText(o.lines) }],
        structuredContent: o.data,
      };
    case "failed":
      return {
        isError: true,
        content: [{ type: "text", text: outcomeText(o.lines) }],
        structuredContent: o.data,
        _meta: { [EXIT_CODE_KEY]: 1 },
      };
    case "cancelled":
      // The SDK drops the reply of a cancelled request; this only satisfies the type.
      return { isError: true, content: [{ type: "text", text: "error: cancelled" }] };
  }
}

/** Runs a handler and turns whatever it returns or throws into a tool result. */
export async function toolResult(body: () => Promise<ToolOutcome>): Promise<CallToolResult> {
  try {
    return toResult(await body());
  } catch (e) {
    return errorResult(e);
  }
}
