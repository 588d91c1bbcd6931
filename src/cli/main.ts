/**
 * The CLI entry: finds the command in the table, parses its flags with the
 * table-driven parser (`args.ts`), resolves the session, runs the command and
 * turns errors into `error: ...` lines (`errorLines`). Returns the exit code
 * (main.ts exits).
 */

import { CliError, errorLines, EXIT, exitCodeOf } from "../errors.ts";
import { parseFlags } from "./args.ts";
import { COMMANDS, type CommandSpec, findCommand, firstPositional, GLOBAL_FLAGS } from "./table.ts";
import type { CommandContext, FlagValues } from "./context.ts";
import { commandHelp, groupHelp, mainHelp } from "./help.ts";
import { opContext } from "../ops/context.ts";
import { VERSION } from "../version.ts";
import { currentFacts, modeName } from "../client/self.ts";

const encoder = new TextEncoder();

/** Writes a line to stdout, synchronously (ordering with stderr is kept). */
export function writeOut(line: string): void {
  writeAll(Deno.stdout, encoder.encode(line + "\n"));
}

/** Writes a line to stderr, synchronously. */
export function writeErr(line: string): void {
  writeAll(Deno.stderr, encoder.encode(line + "\n"));
}

function writeAll(w: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += w.writeSync(bytes.subarray(off));
}

function parse(spec: CommandSpec, rest: string[]): { flags: FlagValues; args: string[] } {
  const r = parseFlags(rest, [...GLOBAL_FLAGS, ...spec.flags]);
  if (!r.ok) throw new CliError(r.message, { hint: `see: agent-procs ${spec.name} --help` });
  return { flags: r.flags, args: r.args };
}

function runContext(spec: CommandSpec, flags: FlagValues, args: string[]): CommandContext {
  const op = opContext({
    session: typeof flags.session === "string" ? flags.session : undefined,
    warn: (line) => writeErr(`warning: ${line}`),
  });
  return {
    command: spec.name,
    args,
    flags,
    json: flags.json === true,
    op,
    out: writeOut,
    err: writeErr,
  };
}

async function dispatch(argv: string[]): Promise<number> {
  if (
    argv.length === 0 || argv[0] === "help" ||
    ((argv[0] === "--help" || argv[0] === "-h") && argv.length === 1)
  ) {
    writeOut(mainHelp());
    return EXIT.ok;
  }
  if (argv[0] === "--version" || argv[0] === "-V" || argv[0] === "version") {
    const mode = modeName(currentFacts());
    if (argv.includes("--json")) writeOut(JSON.stringify({ version: VERSION, mode }));
    else writeOut(`agent-procs ${VERSION} (${mode})`);
    return EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    const at = firstPositional(argv, 0);
    const word = at < 0 ? argv[0] : argv[at];
    if (word === "session") {
      const wantsHelp = argv.includes("--help") || argv.includes("-h");
      if (wantsHelp) {
        writeOut(groupHelp("session"));
        return EXIT.ok;
      }
      const sub = firstPositional(argv, at + 1);
      throw new CliError(
        sub < 0 ? "session: missing subcommand" : `unknown command "session ${argv[sub]}"`,
        {
          hint: "agent-procs session list | agent-procs session clean (agent-procs session --help)",
        },
      );
    }
    const names = COMMANDS.map((c) => c.name);
    throw new CliError(`unknown command ${JSON.stringify(word)}`, {
      hint: `commands: ${names.join(", ")} (agent-procs --help)`,
    });
  }
  const { spec, rest } = found;
  const { flags, args } = parse(spec, rest);
  if (flags.help === true) {
    writeOut(commandHelp(spec));
    return EXIT.ok;
  }
  if (args.length < spec.minArgs) {
    throw new CliError(`${spec.name}: missing ${spec.args}`, {
      hint: `usage: agent-procs ${spec.name} ${spec.args}`,
    });
  }
  if (args.length > spec.maxArgs) {
    throw new CliError(`${spec.name}: too many arguments (${args.slice(spec.maxArgs).join(" ")})`, {
      hint: `usage: agent-procs ${spec.name} ${spec.args}`.trimEnd(),
    });
  }
  const ctx = runContext(spec, flags, args);
  const mod = await spec.load();
  return await mod.run(ctx);
}

/** Runs the CLI and returns the exit code. */
export async function cliMain(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (e) {
    for (const line of errorLines(e, { stack: true })) writeErr(line);
    return exitCodeOf(e);
  }
}
