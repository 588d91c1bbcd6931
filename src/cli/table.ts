/**
 * The declarative command table: every command, its arguments, flags and help
 * text. Argument parsing, `--help` and shell completions are all generated
 * from it, so they cannot disagree. Command implementations are loaded lazily
 * (literal dynamic imports, so `deno compile` still bundles them).
 */

import type { CommandContext } from "./context.ts";

/** One flag of a command. */
export interface FlagSpec {
  name: string;
  short?: string;
  kind: "boolean" | "string";
  multiple?: boolean;
  /** Placeholder in help, e.g. `N`. */
  value?: string;
  help: string;
  /** Allowed values (for help and completions). */
  choices?: readonly string[];
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
  load(): Promise<{ run(ctx: CommandContext): Promise<number> }>;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  {
    name: "session",
    kind: "string",
    value: "NAME",
    help: "session to use (default: env, config, 'default')",
  },
  { name: "json", kind: "boolean", help: "machine-readable output" },
  { name: "help", short: "h", kind: "boolean", help: "show help" },
];

const timeout = (def: string): FlagSpec => ({
  name: "timeout",
  kind: "string",
  value: "S",
  help: `give up after S seconds (default ${def}; 0 = no limit)`,
});

const MANY = Number.POSITIVE_INFINITY;

/** Every command. */
export const COMMANDS: CommandSpec[] = [
  {
    name: "run",
    args: "<cmd>...",
    summary: "Start a background process",
    minArgs: 1,
    maxArgs: MANY,
    flags: [
      {
        name: "name",
        short: "n",
        kind: "string",
        value: "N",
        help: "process name (default: from the command)",
      },
      {
        name: "port",
        short: "p",
        kind: "string",
        value: "P",
        help: "port; injects PORT and HOST=127.0.0.1",
      },
      { name: "proxy", kind: "boolean", help: "serve it at http://NAME.localhost:PROXYPORT" },
      {
        name: "autorestart",
        kind: "string",
        value: "MODE",
        choices: ["always", "on-failure", "never"],
        help: "restart policy (default never)",
      },
      { name: "max-restarts", kind: "string", value: "N", help: "limit automatic restarts" },
      {
        name: "restart-delay",
        kind: "string",
        value: "MS",
        help: "base restart delay (default 1000)",
      },
      {
        name: "watch",
        kind: "string",
        multiple: true,
        value: "GLOB",
        help: "restart when matching files change",
      },
      {
        name: "watch-ignore",
        kind: "string",
        multiple: true,
        value: "GLOB",
        help: "ignore these paths",
      },
      { name: "cwd", kind: "string", value: "DIR", help: "working directory (default: current)" },
      {
        name: "env",
        short: "e",
        kind: "string",
        multiple: true,
        value: "K=V",
        help: "set an environment variable",
      },
      { name: "env-file", kind: "string", value: "F", help: "load variables from a dotenv file" },
      { name: "ready", kind: "string", value: "PAT", help: "return once a line contains PAT" },
      timeout("30"),
    ],
    notes: [
      "The command runs as `sh -c CMD` with your cwd and environment.",
      "Use -- before a command that has its own flags: agent-procs run -n web -- npm run dev --port 3000",
    ],
    load: () => import("./commands/run.ts"),
  },
  {
    name: "stop",
    args: "<name>...",
    summary: "Stop processes (SIGTERM to the group, SIGKILL after the grace period)",
    minArgs: 1,
    maxArgs: MANY,
    targets: true,
    flags: [],
    load: () => import("./commands/stop.ts"),
  },
  {
    name: "stop-all",
    args: "",
    summary: "Stop every process of the session",
    minArgs: 0,
    maxArgs: 0,
    flags: [],
    load: () => import("./commands/stop.ts"),
  },
  {
    name: "restart",
    args: "<name>...",
    summary: "Restart processes (re-enables auto-restart, resets the count)",
    minArgs: 1,
    maxArgs: MANY,
    targets: true,
    flags: [],
    load: () => import("./commands/restart.ts"),
  },
  {
    name: "status",
    args: "[name...]",
    summary: "Show process states",
    minArgs: 0,
    maxArgs: MANY,
    targets: true,
    flags: [],
    load: () => import("./commands/status.ts"),
  },
  {
    name: "logs",
    args: "[name]",
    summary: "Show process output",
    minArgs: 0,
    maxArgs: 1,
    targets: true,
    flags: [
      { name: "tail", short: "n", kind: "string", value: "N", help: "last N lines (default 100)" },
      { name: "follow", short: "f", kind: "boolean", help: "stream new lines" },
      { name: "stderr", kind: "boolean", help: "stderr instead of stdout" },
      {
        name: "all",
        short: "a",
        kind: "boolean",
        help: "every process, interleaved in time order",
      },
      timeout("30 with --follow"),
      { name: "lines", kind: "string", value: "N", help: "with --follow: stop after N new lines" },
      { name: "grep", short: "g", kind: "string", value: "PAT", help: "only lines containing PAT" },
      { name: "regex", short: "E", kind: "boolean", help: "PAT is a regular expression" },
      {
        name: "context",
        short: "C",
        kind: "string",
        value: "N",
        help: "N lines around each match",
      },
      {
        name: "since",
        kind: "string",
        value: "SPEC",
        help: "30s, 5m, 2h, restart, start, or an ISO time",
      },
      { name: "timestamps", short: "t", kind: "boolean", help: "prefix lines with their time" },
    ],
    load: () => import("./commands/logs.ts"),
  },
  {
    name: "wait",
    args: "<name>",
    summary: "Wait for an output line, readiness or exit",
    minArgs: 1,
    maxArgs: 1,
    targets: true,
    flags: [
      {
        name: "until",
        short: "u",
        kind: "string",
        value: "PAT",
        help: "a line of the current run containing PAT",
      },
      { name: "regex", short: "E", kind: "boolean", help: "PAT is a regular expression" },
      { name: "exit", kind: "boolean", help: "wait for the process to exit" },
      { name: "ready", kind: "boolean", help: "wait until the process is ready" },
      timeout("30"),
    ],
    load: () => import("./commands/wait.ts"),
  },
  {
    name: "up",
    args: "[name...]",
    summary: "Start processes from agent-procs.yaml in dependency order",
    minArgs: 0,
    maxArgs: MANY,
    flags: [
      {
        name: "only",
        kind: "string",
        multiple: true,
        value: "X,Y",
        help: "only these processes (and what they depend on)",
      },
      { name: "no-deps", kind: "boolean", help: "do not start what the named processes depend on" },
      {
        name: "config",
        short: "c",
        kind: "string",
        value: "PATH",
        help: "config file (default: search from cwd up)",
      },
      { name: "proxy", kind: "boolean", help: "enable the reverse proxy" },
    ],
    load: () => import("./commands/up.ts"),
  },
  {
    name: "down",
    args: "",
    summary: "Stop the config's processes, dependents first, and forget them",
    minArgs: 0,
    maxArgs: 0,
    flags: [
      {
        name: "config",
        short: "c",
        kind: "string",
        value: "PATH",
        help: "config file (default: search from cwd up)",
      },
    ],
    load: () => import("./commands/up.ts"),
  },
  {
    name: "ui",
    args: "",
    summary: "Open the terminal UI (q quits, Q quits and stops everything, ? for keys)",
    minArgs: 0,
    maxArgs: 0,
    flags: [],
    load: () => import("./commands/ui.ts"),
  },
  {
    name: "mcp",
    args: "",
    summary: "Serve the tools over MCP on stdio (for agent clients)",
    minArgs: 0,
    maxArgs: 0,
    flags: [],
    notes: ["Register it with a client as the command `agent-procs mcp` (see README)."],
    load: () => import("./commands/mcp.ts"),
  },
  {
    name: "session list",
    args: "",
    summary: "List sessions",
    minArgs: 0,
    maxArgs: 0,
    flags: [],
    load: () => import("./commands/session.ts"),
  },
  {
    name: "session clean",
    args: "",
    summary: "Remove what dead sessions left behind (logs kept unless --purge)",
    minArgs: 0,
    maxArgs: 0,
    flags: [{ name: "purge", kind: "boolean", help: "also delete their logs and state" }],
    load: () => import("./commands/session.ts"),
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
    load: () => import("./commands/completions.ts"),
  },
];

/** Index of the first positional argument, skipping the value of a leading `--session`. */
function firstPositional(argv: string[], from: number): number {
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
