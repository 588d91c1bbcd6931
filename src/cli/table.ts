/**
 * The declarative command table: every command, its arguments, flags and help
 * text. Argument parsing, `--help` and shell completions are all generated
 * from it, so they cannot disagree; the flags themselves are entries of the
 * option catalogue (`ops/options.ts`), which the MCP schemas are built from too. Command implementations are loaded lazily
 * (literal dynamic imports, so `deno compile` still bundles them).
 */

import type { CommandContext } from "./context.ts";
import {
  DOWN_OPTIONS,
  EVENTS_OPTIONS,
  EXPORT_OPTIONS,
  INIT_OPTIONS,
  OPT,
  type OptionSpec,
  RUN_OPTIONS,
  SEND_OPTIONS,
  SETUP_AGENT_OPTIONS,
  STATUS_OPTIONS,
  UP_OPTIONS,
  WAIT_OPTIONS,
} from "../ops/options.ts";

/** One flag of a command: an entry of the option catalogue. */
export type FlagSpec = OptionSpec;

/** True when a flag may be given several times (lists and variables). */
export function repeatable(f: FlagSpec): boolean {
  return f.kind === "strings" || f.kind === "env";
}

/** One command. */
export interface CommandSpec {
  /** Name as typed, e.g. `run` or `session list`. */
  name: string;
  /** Positional part of the usage line, e.g. `<name>...`. */
  args: string;
  summary: string;
  flags: FlagSpec[];
  minArgs: number;
  maxArgs: number;
  /** Positionals are process names (for completions). */
  targets?: boolean;
  /** Extra help lines. */
  notes?: string[];
  load(): Promise<CommandModule>;
}

/**
 * Loads a command's module. The specifier is computed on purpose: with literal `import()`s, Deno
 * walks every command's whole module graph (the MCP SDK, the exporters' types, ...) when any
 * command starts. `deno compile` bundles them through an `--include` each (`COMMAND_FILES`).
 */
function loadCommand(file: CommandFile): Promise<CommandModule> {
  return import(new URL(`./commands/${file}`, import.meta.url).href);
}

/** Every command module (`src/cli/commands/`); `deno compile` must `--include` each. */
export const COMMAND_FILES = [
  "completions.ts",
  "events.ts",
  "export.ts",
  "init.ts",
  "logs.ts",
  "mcp.ts",
  "port.ts",
  "restart.ts",
  "run.ts",
  "send.ts",
  "session.ts",
  "setup_agent.ts",
  "status.ts",
  "stop.ts",
  "ui.ts",
  "up.ts",
  "wait.ts",
] as const;

/** One of `COMMAND_FILES`. */
export type CommandFile = typeof COMMAND_FILES[number];

/** What a command module exports. */
export interface CommandModule {
  run(ctx: CommandContext): Promise<number>;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [OPT.session, OPT.json, OPT.help];

const MANY = Number.POSITIVE_INFINITY;

/** Every command. */
export const COMMANDS: CommandSpec[] = [
  {
    name: "run",
    args: "<cmd>...",
    summary: "Start a background process",
    minArgs: 1,
    maxArgs: MANY,
    flags: Object.values(RUN_OPTIONS),
    notes: [
      "The command runs as `sh -c CMD` with your cwd and environment.",
      "Use -- before a command that has its own flags: agent-procs run -n web -- npm run dev --port 3000",
    ],
    load: () => loadCommand("run.ts"),
  },
  {
    name: "stop",
    args: "<name>...",
    summary: "Stop processes (SIGTERM to the group, SIGKILL after the grace period)",
    minArgs: 1,
    maxArgs: MANY,
    targets: true,
    flags: [],
    load: () => loadCommand("stop.ts"),
  },
  {
    name: "stop-all",
    args: "",
    summary: "Stop every process of the session",
    minArgs: 0,
    maxArgs: 0,
    flags: [],
    load: () => loadCommand("stop.ts"),
  },
  {
    name: "restart",
    args: "<name>...",
    summary: "Restart processes (re-enables auto-restart, resets the count)",
    minArgs: 1,
    maxArgs: MANY,
    targets: true,
    flags: [],
    load: () => loadCommand("restart.ts"),
  },
  {
    name: "send",
    args: "<name> [text...]",
    summary: "Write a line (or keys) to the stdin of a process started with --stdin",
    minArgs: 1,
    maxArgs: MANY,
    targets: true,
    flags: Object.values(SEND_OPTIONS),
    notes: [
      "The words are joined by spaces and end with a newline; keys follow, in order.",
      "Use -- before text that starts with a dash: agent-procs send db -- -1",
    ],
    load: () => loadCommand("send.ts"),
  },
  {
    name: "status",
    args: "[name...]",
    summary: "Show process states",
    minArgs: 0,
    maxArgs: MANY,
    targets: true,
    flags: Object.values(STATUS_OPTIONS),
    notes: ["--json always has listening, cpu_percent and rss_bytes (sampled now, per group)."],
    load: () => loadCommand("status.ts"),
  },
  {
    name: "logs",
    args: "[name]",
    summary: "Show process output",
    minArgs: 0,
    maxArgs: 1,
    targets: true,
    flags: [
      OPT.tail,
      OPT.follow,
      OPT.stderr,
      OPT.browser,
      OPT.all,
      OPT.followTimeout,
      OPT.lines,
      OPT.grep,
      OPT.regex,
      OPT.context,
      OPT.since,
      OPT.timestamps,
    ],
    load: () => loadCommand("logs.ts"),
  },
  {
    name: "wait",
    args: "<name>",
    summary: "Wait for an output line, readiness, exit, an event, or settling after a change",
    minArgs: 1,
    maxArgs: MANY,
    targets: true,
    flags: Object.values(WAIT_OPTIONS),
    notes: [
      "With --settle, several names are judged together (exit 1 if any has an error).",
      "Exactly one of --until, --exit, --ready, --event, --settle.",
    ],
    load: () => loadCommand("wait.ts"),
  },
  {
    name: "events",
    args: "[name...]",
    summary: "Show lifecycle events (spawned, ready, exited, restarting, ...)",
    minArgs: 0,
    maxArgs: MANY,
    targets: true,
    flags: [...Object.values(EVENTS_OPTIONS), OPT.eventsFollow, OPT.eventsTimeout],
    notes: ["Needs no daemon; --follow streams new events until --timeout."],
    load: () => loadCommand("events.ts"),
  },
  {
    name: "up",
    args: "[name...]",
    summary: "Start processes from agent-procs.yaml in dependency order",
    minArgs: 0,
    maxArgs: MANY,
    flags: Object.values(UP_OPTIONS),
    notes: [
      "--config also runs a Procfile, a process-compose.yaml or a package.json (then the names",
      "are its scripts, default dev, run with the manager its lock file names); fields that do",
      "not map are warnings.",
    ],
    load: () => loadCommand("up.ts"),
  },
  {
    name: "down",
    args: "",
    summary: "Stop the config's processes, dependents first, and forget them",
    minArgs: 0,
    maxArgs: 0,
    flags: Object.values(DOWN_OPTIONS),
    load: () => loadCommand("up.ts"),
  },
  {
    name: "init",
    args: "",
    summary: "Write agent-procs.yaml from a Procfile, process-compose.yaml or package.json",
    minArgs: 0,
    maxArgs: 0,
    flags: Object.values(INIT_OPTIONS),
    notes: [
      "Without --from it uses the first of process-compose.yaml, Procfile, package.json",
      "(dev or start script), deno.json (dev or start task) in the current directory.",
      "Fields that do not map become comments in the file and warnings on stderr.",
    ],
    load: () => loadCommand("init.ts"),
  },
  {
    name: "export",
    args: "",
    summary: "Write the stack as Docker Compose, Kubernetes or systemd files",
    minArgs: 0,
    maxArgs: 0,
    flags: Object.values(EXPORT_OPTIONS),
    notes: [
      "What the target cannot express (a log-line readiness check, watch, ...) becomes a",
      "comment in the files and a warning on stderr. Kubernetes needs an image per process",
      "(image: in the config, or --image).",
    ],
    load: () => loadCommand("export.ts"),
  },
  {
    name: "setup-agent",
    args: "",
    summary: "Register agent-procs with the project's agent clients and install the skill",
    minArgs: 0,
    maxArgs: 0,
    flags: Object.values(SETUP_AGENT_OPTIONS),
    notes: [
      "Clients are found by their files: .mcp.json, .claude/, CLAUDE.md (claude), .cursor/,",
      ".vscode/, .codex/. Configs are merged (other servers, keys and comments kept); the skill",
      "goes to .claude/skills/agent-procs/; AGENTS.md and CLAUDE.md, when present, get a marked",
      "section that each run refreshes. A second run changes nothing.",
    ],
    load: () => loadCommand("setup_agent.ts"),
  },
  {
    name: "port",
    args: "<port>",
    summary: "Show who listens on or leases a TCP port (any session, any program)",
    minArgs: 1,
    maxArgs: 1,
    flags: [],
    notes: ["Prints `N: free` when nobody listens and no session leases it. Needs no daemon."],
    load: () => loadCommand("port.ts"),
  },
  {
    name: "ui",
    args: "",
    summary: "Open the terminal UI (q quits, Q quits and stops everything, ? for keys)",
    minArgs: 0,
    maxArgs: 0,
    flags: [],
    load: () => loadCommand("ui.ts"),
  },
  {
    name: "mcp",
    args: "",
    summary: "Serve the tools over MCP on stdio (for agent clients)",
    minArgs: 0,
    maxArgs: 0,
    flags: [OPT.stopOnExit],
    notes: ["Register it with a client as the command `agent-procs mcp` (see README)."],
    load: () => loadCommand("mcp.ts"),
  },
  {
    name: "session list",
    args: "",
    summary: "List sessions",
    minArgs: 0,
    maxArgs: 0,
    flags: [],
    load: () => loadCommand("session.ts"),
  },
  {
    name: "session clean",
    args: "",
    summary: "Remove what dead sessions left behind (logs kept unless --purge)",
    minArgs: 0,
    maxArgs: 0,
    flags: [OPT.purge],
    load: () => loadCommand("session.ts"),
  },
  {
    name: "completions",
    args: "<bash|zsh|fish|powershell>",
    summary: "Print a shell completion script (commands, flags, process names)",
    minArgs: 1,
    maxArgs: 1,
    flags: [],
    notes: [
      "bash:       add to ~/.bashrc:  source <(agent-procs completions bash)",
      "zsh:        add to ~/.zshrc after compinit:  source <(agent-procs completions zsh)",
      "fish:       agent-procs completions fish > ~/.config/fish/completions/agent-procs.fish",
      "powershell: add to $PROFILE:  agent-procs completions powershell | Out-String | Invoke-Expression",
    ],
    load: () => loadCommand("completions.ts"),
  },
];

/** Index of the first positional argument at or after `from`, skipping `--session`'s value; -1 when none. */
export function firstPositional(argv: string[], from: number): number {
  let i = from;
  while (i < argv.length) {
    const a = argv[i];
    if (a === "--") return i + 1 < argv.length ? i + 1 : -1;
    if (a === "--session") i += 2;
    else if (a.startsWith("-")) i++;
    else return i;
  }
  return -1;
}

/** Finds the command for argv; returns it and the remaining arguments. */
export function findCommand(argv: string[]): { spec: CommandSpec; rest: string[] } | null {
  const idx = firstPositional(argv, 0);
  if (idx < 0) return null;
  const first = argv[idx];
  if (first === "session") {
    const j = firstPositional(argv, idx + 1);
    if (j < 0) return null;
    const spec = COMMANDS.find((c) => c.name === `session ${argv[j]}`);
    if (!spec) return null;
    return { spec, rest: argv.filter((_, k) => k !== idx && k !== j) };
  }
  const spec = COMMANDS.find((c) => c.name === first);
  if (!spec) return null;
  return { spec, rest: argv.filter((_, k) => k !== idx) };
}
