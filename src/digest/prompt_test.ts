/**
 * The prompt detector's table. True positives are the bytes real programs
 * printed here (captured with a pipe as their stdin, as under the daemon);
 * true negatives are output that ends without a newline but asks nothing,
 * or that goes on within the silence.
 */

import { equal } from "node:assert/strict";
import { awaitingPrompt, MAX_PROMPT_CHARS, PROMPT_SILENCE_MS, promptText } from "./prompt.ts";
import { promptHint } from "./prompt_text.ts";

/** [what, unterminated tail, the prompt it asks (null: none)]. */
const TABLE: [string, string, string | null][] = [
  // Captured from programs run here with a pipe as stdin.
  ["Python input()", "Proceed? (y/n) ", "Proceed? (y/n)"],
  ["Python getpass (no tty: falls back to stdin)", "Password: ", "Password:"],
  ["Node readline.question", "What is your name? ", "What is your name?"],
  ["npx's prompt (npm's read module, default y)", "Ok to proceed? (y) ", "Ok to proceed? (y)"],
  ["bash read -p on a terminal (script -qc)", "Name: ", "Name:"],
  // Prompts of tools that only ask on a terminal, as they print them.
  [
    "a dev server whose port is taken",
    "Port 3000 is in use, use 3001? (Y/n) ",
    "Port 3000 is in use, use 3001? (Y/n)",
  ],
  ["create-vite / prompts", "? Select a framework: › ", "? Select a framework: ›"],
  ["inquirer list", "? Pick one: (Use arrow keys)", "? Pick one: (Use arrow keys)"],
  ["apt-style", "Do you want to continue? [Y/n] ", "Do you want to continue? [Y/n]"],
  ["a migration", "Type yes to continue (yes/no) ", "Type yes to continue (yes/no)"],
  ["npm init default in parentheses", "package name: (my-app) ", "package name: (my-app)"],
  ["a REPL", ">>> ", ">>>"],
  ["press a key", "Press any key to continue...", "Press any key to continue..."],
  [
    "ssh-keygen",
    "Enter passphrase (empty for no passphrase): ",
    "Enter passphrase (empty for no passphrase):",
  ],
  [
    "colours and a redraw",
    "Loading...\x1b[2K\x1b[1G\x1b[36m?\x1b[0m Continue? \x1b[2m(Y/n)\x1b[22m",
    "? Continue? (Y/n)",
  ],
  // Not questions.
  ["nothing", "", null],
  ["a line of a log still being written", "GET /api/users 200 12ms", null],
  ["a shell-like prompt", "user@host:~$ ", null],
  ["a progress bar", "[=====>              ] 25%", null],
  ["a progress bar redrawn with \\r", "45%\r67%\r[#####     ] 99%", null],
  ["npm spinner", "⠙ idealTree:app: sill idealTree buildDeps", null],
  ["npm spinner ending in a colon", "⠧ reify:esbuild:", null],
  ["a line ending in ':' that is a label", "Loading:", "Loading:"],
  ["a minified blob without a newline", "x".repeat(1500) + "?", null],
];

for (const [what, tail, want] of TABLE) {
  Deno.test(`promptText: ${what}`, () => {
    equal(promptText(tail), want);
  });
}

Deno.test("awaitingPrompt: a question counts only after the silence", () => {
  equal(awaitingPrompt("Proceed? (y/n) ", PROMPT_SILENCE_MS - 1), null);
  equal(awaitingPrompt("Proceed? (y/n) ", PROMPT_SILENCE_MS), "Proceed? (y/n)");
  // `Loading:` followed by more output within 200 ms: the tail is empty again, and short of silence.
  equal(awaitingPrompt("Loading:", 200), null);
  equal(awaitingPrompt("", 5000), null);
});

Deno.test("promptText: a long question is cut with …", () => {
  const p = promptText("a".repeat(400) + "?")!;
  equal(p.length, MAX_PROMPT_CHARS);
  equal(p.endsWith("…"), true);
});

Deno.test("promptHint: send with a pipe; a pipe or a non-interactive flag without", () => {
  equal(
    promptHint("web", true),
    "answer it: agent-procs send web TEXT (or --key enter, --key down, ...)",
  );
  equal(promptHint("web", false).includes("run --stdin"), true);
});
