/**
 * The option catalogue: every option an operation takes, written once with
 * its name, type, default and help text. The CLI's command table builds its
 * flags from these (and so `--help` and the completion scripts), and the MCP
 * server builds its tool schemas from the same entries; `convert.ts` turns a
 * raw value from either into the operation's typed input. Pure data, no
 * imports on the hot path.
 */

/**
 * How an option's value is typed:
 * - `boolean`: a switch;
 * - `string`, `strings`: text, once or repeatable;
 * - `count`: a whole number ≥ 0;
 * - `seconds`: a duration given in seconds (fractions allowed), held as ms;
 * - `ms`: a duration given in milliseconds;
 * - `port`: 1-65535;
 * - `choice`: one of `choices`;
 * - `env`: variables (`K=V` repeated on the CLI, an object over MCP).
 */
export type OptionKind =
  | "boolean"
  | "string"
  | "strings"
  | "count"
  | "seconds"
  | "ms"
  | "port"
  | "choice"
  | "env";

/** One option. */
export interface OptionSpec {
  /** Long flag name (kebab-case); the MCP argument is its snake_case form. */
  readonly name: string;
  readonly kind: OptionKind;
  /** One-letter CLI alias. */
  readonly short?: string;
  /** Placeholder in CLI help, e.g. `N`. */
  readonly value?: string;
  /** Help text, shown by `--help` and as the MCP argument's description. */
  readonly help: string;
  /** Allowed values of a `choice`. */
  readonly choices?: readonly string[];
}

import { AGENT_CLIENTS, EXPORT_FORMATS, OPT, SEND_KEYS } from "./option_list.ts";

export { AGENT_CLIENTS, EXPORT_FORMATS, OPT, SEND_KEYS };

/** Options of `init`. */
export const INIT_OPTIONS = { from: OPT.from, dryRun: OPT.dryRun, force: OPT.force } as const;

/** Options of `export`. */
export const EXPORT_OPTIONS = {
  format: OPT.format,
  output: OPT.outDir,
  image: OPT.image,
  config: OPT.config,
} as const;

/** Options of `setup-agent`. */
export const SETUP_AGENT_OPTIONS = { client: OPT.client, dryRun: OPT.dryRun } as const;

/** Options of `status`. */
export const STATUS_OPTIONS = { resources: OPT.resources } as const;

/** Options of `run`. */
export const RUN_OPTIONS = {
  name: OPT.name,
  port: OPT.port,
  proxy: OPT.proxy,
  browserLogs: OPT.browserLogs,
  autorestart: OPT.autorestart,
  maxRestarts: OPT.maxRestarts,
  restartDelayMs: OPT.restartDelay,
  watch: OPT.watch,
  watchIgnore: OPT.watchIgnore,
  cwd: OPT.cwd,
  env: OPT.env,
  envFile: OPT.envFile,
  ready: OPT.readyLine,
  readyListen: OPT.readyListen,
  ensure: OPT.ensure,
  ttl: OPT.ttl,
  timeoutMs: OPT.runTimeout,
  stdin: OPT.stdin,
} as const;

/** Options of `wait`. */
export const WAIT_OPTIONS = {
  until: OPT.until,
  event: OPT.event,
  settle: OPT.settle,
  quiet: OPT.quiet,
  regex: OPT.regex,
  exit: OPT.exit,
  ready: OPT.ready,
  timeoutMs: OPT.waitTimeout,
} as const;

/** Options of `logs` (what is read). */
export const LOGS_OPTIONS = {
  all: OPT.all,
  tail: OPT.tail,
  stderr: OPT.stderr,
  browser: OPT.browser,
  grep: OPT.grep,
  regex: OPT.regex,
  context: OPT.context,
  since: OPT.since,
} as const;

/** Options of `up`. */
export const UP_OPTIONS = {
  only: OPT.only,
  noDeps: OPT.noDeps,
  config: OPT.config,
  proxy: OPT.upProxy,
  ttl: OPT.ttl,
} as const;

/** Options of `down`. */
export const DOWN_OPTIONS = { config: OPT.config } as const;

/** Options of a settle (the MCP `settle` tool; `wait --settle` on the CLI). */
export const SETTLE_OPTIONS = { quiet: OPT.quiet, timeoutMs: OPT.waitTimeout } as const;

/** Options of `send`. */
export const SEND_OPTIONS = { noNewline: OPT.noNewline, eof: OPT.eof, key: OPT.key } as const;

/** Options of `events` (what is read). */
export const EVENTS_OPTIONS = { since: OPT.eventsSince } as const;

/** The key of an option in `OPT`. */
export type OptKey = keyof typeof OPT;

/** The MCP argument name of an option: `max-restarts` → `max_restarts`. */
export function argName(o: OptionSpec): string {
  return o.name.replaceAll("-", "_");
}
