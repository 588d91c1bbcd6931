/**
 * Errors that carry an exit code. Operations throw `CliError` for expected
 * failures (usage, not found, timeout); `errorLines` is the one rendering of
 * an error (`error: ...`, details, `hint: ...`) that the CLI prints on stderr
 * and the MCP server returns as a tool error.
 */

/** Exit codes of every command, in one place. */
export const EXIT = {
  ok: 0,
  error: 1,
  notFound: 2,
} as const;

/** Exit code type. */
export type ExitCode = typeof EXIT[keyof typeof EXIT];

/** An expected failure with a message for the user, an exit code and an optional hint. */
export class CliError extends Error {
  /** Exit status the process ends with. */
  readonly exitCode: ExitCode;
  /** Optional second line telling the user what to do. */
  readonly hint: string | null;
  /** Extra lines printed after the error (e.g. last log lines). */
  readonly details: string[];

  constructor(
    message: string,
    opts: { exitCode?: ExitCode; hint?: string; details?: string[] } = {},
  ) {
    super(message);
    this.name = "CliError";
    this.exitCode = opts.exitCode ?? EXIT.error;
    this.hint = opts.hint ?? null;
    this.details = opts.details ?? [];
  }
}

/** Shorthand for a "target not found" error (exit 2). */
export function notFound(message: string, hint?: string): CliError {
  return new CliError(message, { exitCode: EXIT.notFound, hint });
}

/** Returns the message of any thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The lines of an error as users see them: `error: ...`, indented details,
 * `hint: ...`. An unexpected error (a bug) is `error: internal: ...`, with its
 * stack when `stack` is set.
 */
export function errorLines(e: unknown, opts: { stack?: boolean } = {}): string[] {
  if (e instanceof CliError) {
    return [
      `error: ${e.message}`,
      ...e.details.map((d) => `  ${d}`),
      ...(e.hint ? [`hint: ${e.hint}`] : []),
    ];
  }
  const text = e instanceof Error ? (opts.stack ? e.stack ?? e.message : e.message) : String(e);
  return [`error: internal: ${text}`];
}

/** The exit code an error ends a command with (1, or 2 for "not found"). */
export function exitCodeOf(e: unknown): ExitCode {
  return e instanceof CliError ? e.exitCode : EXIT.error;
}
