/**
 * The wording about a process waiting at a prompt (SPEC §16): the error that
 * waits fail with, and the hint (answer with `send`, or get a pipe, or avoid
 * the question). Kept apart from the detector so the status table loads no
 * regular expressions it does not use.
 */

/** `NAME is waiting for input: "PROMPT"` (the error of a wait that stops at a prompt). */
export function waitingMessage(name: string, prompt: string): string {
  return `${name} is waiting for input: ${JSON.stringify(prompt)}`;
}

/** `NAME asked "PROMPT" and exited ...` (it read end-of-file from /dev/null). */
export function askedAndEndedMessage(name: string, prompt: string, how: string): string {
  return `${name} asked ${JSON.stringify(prompt)} and ${how}: its stdin is /dev/null`;
}

/** What to do about a prompt: answer through the pipe, or get one (or avoid the question). */
export function promptHint(name: string, hasPipe: boolean): string {
  return hasPipe
    ? `answer it: agent-procs send ${name} TEXT (or --key enter, --key down, ...)`
    : `restart it with a stdin pipe (run --stdin, or stdin: pipe in agent-procs.yaml) and ` +
      `answer with agent-procs send ${name} TEXT, or give the program its non-interactive ` +
      `flag (--yes, -y, CI=1)`;
}
