/** `--help` text, generated from the command table. */

import { COMMANDS, type CommandSpec, type FlagSpec, GLOBAL_FLAGS, repeatable } from "./table.ts";

function flagLabel(f: FlagSpec): string {
  const long = `--${f.name}${f.kind === "boolean" ? "" : ` ${f.value ?? "VALUE"}`}`;
  return f.short ? `-${f.short}, ${long}` : `    ${long}`;
}

function flagLines(flags: FlagSpec[]): string[] {
  const width = Math.max(...flags.map((f) => flagLabel(f).length));
  return flags.map((f) => {
    const extra = repeatable(f) ? " (repeatable)" : "";
    const choices = f.choices ? ` [${f.choices.join("|")}]` : "";
    return `  ${flagLabel(f).padEnd(width)}  ${f.help}${choices}${extra}`;
  });
}

/** Help of one command. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [
    `Usage: agent-procs ${spec.name}${spec.flags.length ? " [options]" : ""}${
      spec.args ? ` ${spec.args}` : ""
    }`,
    "",
    spec.summary,
  ];
  if (spec.notes) lines.push("", ...spec.notes);
  if (spec.flags.length) lines.push("", "Options:", ...flagLines(spec.flags));
  lines.push("", "Global options:", ...flagLines(GLOBAL_FLAGS));
  return lines.join("\n");
}

/** The top-level help. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.args}`.length));
  return [
    "agent-procs: run dev servers and other long-lived processes for AI agents.",
    "Processes live in a per-session background daemon; every call can check, read and stop them.",
    "",
    "Usage: agent-procs <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)}  ${c.summary}`),
    "",
    "Global options:",
    ...flagLines(GLOBAL_FLAGS),
    "  -V, --version       print the version",
    "",
    "Exit codes: 0 success, 1 error (incl. timeout), 2 target not found.",
    "Run `agent-procs <command> --help` for a command's options.",
  ].join("\n");
}

/** Help of a command group (e.g. `session`): its subcommands. */
export function groupHelp(group: string): string {
  const subs = COMMANDS.filter((c) => c.name.startsWith(`${group} `));
  const width = Math.max(...subs.map((c) => `${c.name} ${c.args}`.trimEnd().length));
  return [
    `Usage: agent-procs ${group} <command> [options]`,
    "",
    "Commands:",
    ...subs.map((c) => `  ${`${c.name} ${c.args}`.trimEnd().padEnd(width)}  ${c.summary}`),
    "",
    `Run \`agent-procs ${group} <command> --help\` for a command's options.`,
  ].join("\n");
}
