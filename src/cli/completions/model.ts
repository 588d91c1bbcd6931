/**
 * Shell completion scripts, generated from the command table (the same one
 * `--help` is generated from). Pure: `completionModel` turns the table into
 * what a shell needs (command words, flags, what a flag's value or a
 * positional completes to), plus the pieces the shell renderers share
 * (`mod.ts` renders a script with `completionScript`). Process names come at completion time from
 * `agent-procs completions __names` (saved state, never starts a daemon).
 */

import type { CommandSpec, FlagSpec } from "../table.ts";

/** A shell we generate a script for. */
export type Shell = "bash" | "zsh" | "fish" | "powershell";

/** Every supported shell, in help order. */
export const SHELLS: readonly Shell[] = ["bash", "zsh", "fish", "powershell"];

/** The hidden argument of `completions` that prints the session's process names. */
export const NAMES_ARG = "__names";

/** Program name the scripts complete and call. */
export const PROGRAM = "agent-procs";

/** What a flag's value or a positional argument completes to. */
export type Completes =
  | { kind: "choices"; values: readonly string[] }
  | { kind: "names" }
  | { kind: "files" }
  | { kind: "dirs" }
  | { kind: "nothing" };

/** One flag as the scripts see it. */
export interface CompFlag {
  /** `--name` and, when there is one, `-n`. */
  spellings: string[];
  help: string;
  /** What its value completes to; null for a boolean flag. */
  value: Completes | null;
}

/** One command as the scripts see it. */
export interface CompCommand {
  /** Words as typed: `["stop"]`, `["session", "list"]`. */
  words: string[];
  summary: string;
  flags: CompFlag[];
  /** What a positional argument completes to. */
  positional: Completes;
}

/** Everything a completion script needs. */
export interface CompModel {
  commands: CompCommand[];
  /** Flags accepted before a command (global flags plus `--version`). */
  topFlags: CompFlag[];
}

/** Placeholders of string flags whose value is a path. */
const FILE_VALUES = new Set(["F", "PATH", "GLOB"]);
const DIR_VALUES = new Set(["DIR"]);

function flagValue(f: FlagSpec): Completes | null {
  if (f.kind === "boolean") return null;
  if (f.choices) return { kind: "choices", values: f.choices };
  if (DIR_VALUES.has(f.value ?? "")) return { kind: "dirs" };
  if (FILE_VALUES.has(f.value ?? "")) return { kind: "files" };
  return { kind: "nothing" };
}

function compFlag(f: FlagSpec): CompFlag {
  return {
    spellings: [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])],
    help: f.help,
    value: flagValue(f),
  };
}

/** What the positionals of a command complete to, from its table entry. */
function positional(spec: CommandSpec): Completes {
  if (spec.targets) return { kind: "names" };
  if (spec.maxArgs === 0) return { kind: "nothing" };
  const choice = spec.args.match(/^<([\w-]+(?:\|[\w-]+)+)>$/);
  if (choice) return { kind: "choices", values: choice[1].split("|") };
  return { kind: "files" };
}

/** Builds the completion model from the command table. */
export function completionModel(commands: CommandSpec[], globals: FlagSpec[]): CompModel {
  const g = globals.map(compFlag);
  return {
    commands: commands.map((c) => ({
      words: c.name.split(" "),
      summary: c.summary,
      flags: [...g, ...c.flags.map(compFlag)],
      positional: positional(c),
    })),
    topFlags: [...g, { spellings: ["--version", "-V"], help: "print the version", value: null }],
  };
}

/** The shell named `name`, or null. */
export function parseShell(name: string): Shell | null {
  return (SHELLS as readonly string[]).includes(name) ? name as Shell : null;
}

/** What completes where a positional goes in a `case $cmd` arm: values, or subcommand words. */
export type ArmPositional = Completes | { kind: "words"; items: { word: string; help: string }[] };

/** One arm of the scripts' dispatch on the command typed so far (`""` = none yet). */
export interface Arm {
  cmd: string;
  flags: CompFlag[];
  positional: ArmPositional;
}

/** The arms: no command yet, each command group (`session`), each command. */
export function arms(model: CompModel): Arm[] {
  const firsts = new Map<string, string>();
  for (const c of model.commands) {
    if (!firsts.has(c.words[0])) {
      firsts.set(c.words[0], c.words.length > 1 ? "Sessions" : c.summary);
    }
  }
  const words = (items: { word: string; help: string }[]): ArmPositional => ({
    kind: "words",
    items,
  });
  return [
    {
      cmd: "",
      flags: model.topFlags,
      positional: words([...firsts].map(([word, help]) => ({ word, help }))),
    },
    ...groups(model).map((g) => ({
      cmd: g,
      flags: model.topFlags,
      positional: words(
        model.commands.filter((c) => c.words.length > 1 && c.words[0] === g)
          .map((c) => ({ word: c.words[1], help: c.summary })),
      ),
    })),
    ...model.commands.map((c) => ({
      cmd: c.words.join(" "),
      flags: c.flags,
      positional: c.positional,
    })),
  ];
}

/** Command groups: first words of commands that have subcommands. */
export function groups(model: CompModel): string[] {
  return [...new Set(model.commands.filter((c) => c.words.length > 1).map((c) => c.words[0]))];
}

/** Single-quotes for POSIX shells. */
export function sq(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The loop (bash and zsh) that finds the command typed so far, as `findCommand` does. */
export function scanLoop(model: CompModel, words: string, first: number, current: string): string {
  return `  for ((i = ${first}; i < ${current}; i++)); do
    w=\${${words}[i]}
    case $w in
      --session) ((i++)) ;;
      -*) ;;
      *) if [[ -z $cmd ]]; then cmd=$w
         elif [[ " ${groups(model).join(" ")} " == *" $cmd "* ]]; then cmd="$cmd $w"; fi ;;
    esac
  done`;
}

/** The `session` arguments (bash and zsh) for the names helper, from a `--session` typed earlier. */
export function namesFunction(words: string, first: number, current: string): string {
  return `_agent_procs_names() {
  local i; local -a session=()
  for ((i = ${first}; i < ${current} - 1; i++)); do
    [[ \${${words}[i]} == --session ]] && session=(--session "\${${words}[i+1]}")
  done
  command ${PROGRAM} completions ${NAMES_ARG} "\${session[@]}" 2>/dev/null
}`;
}

/** A `case $cmd` arm (bash and zsh): flag values after their flag, else flags or positionals. */
export function caseArm(
  arm: Arm,
  value: (c: Completes) => string,
  rest: (a: Arm) => string,
): string {
  const values = arm.flags.filter((f) => f.value).map((f) =>
    `        ${f.spellings.join("|")}) ${value(f.value!)}; return ;;`
  );
  const pattern = arm.cmd === "" ? '""' : sq(arm.cmd);
  return [`    ${pattern})`, `      case $prev in`, ...values, `      esac`, rest(arm)].join("\n");
}

// ---------------------------------------------------------------- bash
