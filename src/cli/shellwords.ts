/**
 * Turning `run`'s arguments into one `sh -c` command: a single argument is a
 * shell command as written (`run "npm run dev && echo ok"`); several are argv
 * words (`run -- sh -c 'echo hi'`), each quoted so the shell sees exactly them.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word for POSIX sh (unchanged when it needs no quoting). */
export function shellQuote(word: string): string {
  if (word !== "" && SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The command string for `sh -c` from `run`'s positional arguments. */
export function commandFromArgs(args: string[]): string {
  return args.length === 1 ? args[0] : args.map(shellQuote).join(" ");
}
