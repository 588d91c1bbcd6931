/**
 * Errors that carry an exit code. Commands throw `CliError` for expected
 * failures (usage, not found, timeout); `main.ts` is the only place that turns
 * them into `error: ...` on stderr and an exit status.
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
