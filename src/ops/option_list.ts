/**
 * The entries of the option catalogue (`options.ts` describes their shape and
 * groups them per operation): every option's name, type, short flag,
 * placeholder and help text, written once.
 */

import { RESTART_POLICIES, SPEC_DEFAULTS } from "../model.ts";
import type { OptionSpec } from "./options.ts";

/** Engines `export` writes files for. */
export const EXPORT_FORMATS = ["compose", "kubernetes", "systemd"] as const;

/** Keys `send --key` knows (their bytes are in `send.ts`). */
export const SEND_KEYS = [
  "enter",
  "tab",
  "esc",
  "up",
  "down",
  "left",
  "right",
  "backspace",
  "space",
  "ctrl-c",
  "ctrl-d",
] as const;

/** Agent clients `setup-agent` configures (`all`: every one, detected or not). */
export const AGENT_CLIENTS = ["claude", "cursor", "vscode", "codex", "all"] as const;

const timeout = (def: string) => ({
  name: "timeout",
  kind: "seconds",
  value: "S",
  help: `give up after S seconds (default ${def}; 0 = no limit)`,
} as const);

/** Every option, by the key operations use for it. */
export const OPT = {
  session: {
    name: "session",
    kind: "string",
    value: "NAME",
    help: "session to use (default: env, config, 'default')",
  },
  json: { name: "json", kind: "boolean", help: "machine-readable output" },
  help: { name: "help", short: "h", kind: "boolean", help: "show help" },
  name: {
    name: "name",
    short: "n",
    kind: "string",
    value: "N",
    help: "process name (default: from the command)",
  },
  port: {
    name: "port",
    short: "p",
    kind: "port",
    value: "P",
    help: "port; injects PORT and HOST=127.0.0.1",
  },
  proxy: { name: "proxy", kind: "boolean", help: "serve it at http://NAME.localhost:PROXYPORT" },
  browserLogs: {
    name: "browser-logs",
    kind: "boolean",
    help: "log its pages' browser console (stream browser; implies --proxy)",
  },
  autorestart: {
    name: "autorestart",
    kind: "choice",
    value: "MODE",
    choices: RESTART_POLICIES,
    help: `restart policy (default ${SPEC_DEFAULTS.autorestart})`,
  },
  maxRestarts: {
    name: "max-restarts",
    kind: "count",
    value: "N",
    help: "limit automatic restarts",
  },
  restartDelay: {
    name: "restart-delay",
    kind: "ms",
    value: "MS",
    help: `base restart delay (default ${SPEC_DEFAULTS.restartDelayMs})`,
  },
  watch: {
    name: "watch",
    kind: "strings",
    value: "GLOB",
    help: "restart when matching files change",
  },
  watchIgnore: {
    name: "watch-ignore",
    kind: "strings",
    value: "GLOB",
    help: "ignore these paths",
  },
  cwd: { name: "cwd", kind: "string", value: "DIR", help: "working directory (default: current)" },
  env: {
    name: "env",
    short: "e",
    kind: "env",
    value: "K=V",
    help: "set an environment variable",
  },
  envFile: {
    name: "env-file",
    kind: "string",
    value: "F",
    help: "load variables from a dotenv file",
  },
  readyLine: {
    name: "ready",
    kind: "string",
    value: "PAT",
    help: "return once a line contains PAT",
  },
  readyListen: {
    name: "ready-listen",
    kind: "boolean",
    help: "ready once the process group listens on PORT (any TCP port without one); return then",
  },
  ensure: {
    name: "ensure",
    kind: "boolean",
    help: "reuse NAME if it runs with the same command, cwd, --env and port; restart it if " +
      "they changed; start it if it is not running",
  },
  ttl: {
    name: "ttl",
    kind: "string",
    value: "DURATION",
    help: "stop everything and end the session after DURATION (3s, 10m, 1h) without a call; " +
      "0 clears (default: AGENT_PROCS_TTL)",
  },
  stdin: {
    name: "stdin",
    kind: "boolean",
    help: "keep a pipe to its stdin, to answer prompts with `send`",
  },
  runTimeout: timeout("30"),
  waitTimeout: timeout("30"),
  followTimeout: timeout("30 with --follow"),
  tail: { name: "tail", short: "n", kind: "count", value: "N", help: "last N lines (default 100)" },
  follow: { name: "follow", short: "f", kind: "boolean", help: "stream new lines" },
  stderr: { name: "stderr", kind: "boolean", help: "stderr instead of stdout" },
  browser: {
    name: "browser",
    kind: "boolean",
    help: "the browser console (browser_logs) instead of stdout",
  },
  all: {
    name: "all",
    short: "a",
    kind: "boolean",
    help: "every process, interleaved in time order",
  },
  lines: {
    name: "lines",
    kind: "count",
    value: "N",
    help: "with --follow: stop after N new lines",
  },
  grep: {
    name: "grep",
    short: "g",
    kind: "string",
    value: "PAT",
    help: "only lines containing PAT",
  },
  regex: { name: "regex", short: "E", kind: "boolean", help: "PAT is a regular expression" },
  context: {
    name: "context",
    short: "C",
    kind: "count",
    value: "N",
    help: "N lines around each match",
  },
  since: {
    name: "since",
    kind: "string",
    value: "SPEC",
    help: "30s, 5m, 2h, restart, start, or an ISO time",
  },
  timestamps: {
    name: "timestamps",
    short: "t",
    kind: "boolean",
    help: "prefix lines with their time",
  },
  until: {
    name: "until",
    short: "u",
    kind: "string",
    value: "PAT",
    help: "a line of the current run containing PAT",
  },
  exit: { name: "exit", kind: "boolean", help: "wait for the process to exit" },
  settle: {
    name: "settle",
    kind: "boolean",
    help: "until it has settled after a change, then judge its last burst (ok or error)",
  },
  quiet: {
    name: "quiet",
    kind: "ms",
    value: "MS",
    help: "with --settle: silence that counts as settled (default 1000)",
  },
  ready: { name: "ready", kind: "boolean", help: "wait until the process is ready" },
  only: {
    name: "only",
    kind: "strings",
    value: "X,Y",
    help: "only these processes (and what they depend on)",
  },
  noDeps: {
    name: "no-deps",
    kind: "boolean",
    help: "do not start what the named processes depend on",
  },
  config: {
    name: "config",
    short: "c",
    kind: "string",
    value: "PATH",
    help: "config file (default: search from cwd up)",
  },
  upProxy: { name: "proxy", kind: "boolean", help: "enable the reverse proxy" },
  purge: { name: "purge", kind: "boolean", help: "also delete their logs and state" },
  stopOnExit: {
    name: "stop-on-exit",
    kind: "boolean",
    help: "when the client disconnects, stop the processes started through this server",
  },
  resources: {
    name: "resources",
    kind: "boolean",
    help: "add CPU and MEM columns (CPU over the last 0.1-1 s, else a fresh 100 ms window)",
  },
  from: {
    name: "from",
    kind: "string",
    value: "FILE",
    help: "Procfile, process-compose.yaml, package.json or deno.json (default: found in cwd)",
  },
  dryRun: { name: "dry-run", kind: "boolean", help: "print what would be written; write nothing" },
  force: { name: "force", kind: "boolean", help: "overwrite an existing agent-procs.yaml" },
  format: {
    name: "format",
    kind: "choice",
    value: "FMT",
    choices: EXPORT_FORMATS,
    help: "target engine",
  },
  outDir: {
    name: "output",
    short: "o",
    kind: "string",
    value: "DIR",
    help: "write the files into DIR (default: print them)",
  },
  image: {
    name: "image",
    kind: "string",
    value: "IMG",
    help: "container image for processes without `image:` (kubernetes, compose)",
  },
  client: {
    name: "client",
    kind: "choice",
    value: "NAME",
    choices: AGENT_CLIENTS,
    help: "agent client to set up (default: those detected in the project)",
  },
  eventsSince: {
    name: "since",
    kind: "string",
    value: "SPEC",
    help: "30s, 5m, 2h, HH:MM or an ISO time",
  },
  eventsFollow: { name: "follow", short: "f", kind: "boolean", help: "stream new events" },
  eventsTimeout: timeout("30 with --follow"),
  noNewline: { name: "no-newline", kind: "boolean", help: "do not end the text with a newline" },
  eof: {
    name: "eof",
    kind: "boolean",
    help: "then close its stdin (a reader gets end-of-file)",
  },
  key: {
    name: "key",
    short: "k",
    kind: "strings",
    value: "KEY",
    choices: SEND_KEYS,
    help: "then send a key (the bytes a terminal would send)",
  },
  event: {
    name: "event",
    kind: "string",
    value: "TYPE[,TYPE]",
    help: "the next event of one of these types (spawned, ready, exited, restarting, ...)",
  },
} as const satisfies Record<string, OptionSpec>;
