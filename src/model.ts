/**
 * Domain types shared by the CLI, the daemon, the config loader, the proxy and
 * the TUI: what a process is asked to be (`ProcessSpec`) and what it is now
 * (`ProcessInfo`, the shape `status --json` prints).
 */

/** Restart policy of a process. */
export type RestartPolicy = "always" | "on-failure" | "never";

/** All restart policies: the one list that validation, help, completions and MCP schemas use. */
export const RESTART_POLICIES = [
  "always",
  "on-failure",
  "never",
] as const satisfies readonly RestartPolicy[];

/** True when `v` names a restart policy. */
export function isRestartPolicy(v: unknown): v is RestartPolicy {
  return typeof v === "string" && (RESTART_POLICIES as readonly string[]).includes(v);
}

/**
 * Signals accepted as `stop_signal`: the `Deno.Signal` values that exist on
 * both Linux and macOS and end a process by default (so not SIGCHLD, SIGCONT,
 * SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH).
 */
export const STOP_SIGNALS: readonly Deno.Signal[] = [
  "SIGTERM",
  "SIGINT",
  "SIGHUP",
  "SIGQUIT",
  "SIGKILL",
  "SIGUSR1",
  "SIGUSR2",
  "SIGABRT",
  "SIGALRM",
  "SIGPIPE",
  "SIGPROF",
  "SIGVTALRM",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGBUS",
  "SIGFPE",
  "SIGILL",
  "SIGSEGV",
  "SIGSYS",
  "SIGTRAP",
  "SIGIO",
];

/** Defaults of every optional process setting, for `run`, the config loader and tests alike. */
export const SPEC_DEFAULTS = {
  autorestart: "never" as RestartPolicy,
  maxRestarts: null as number | null,
  restartDelayMs: 1000,
  readyTimeoutMs: 30_000,
  stopSignal: "SIGTERM" as Deno.Signal,
  stopTimeoutMs: 10_000,
} as const;

/** A complete spec from the required fields plus overrides; everything else is a default. */
export function defaultSpec(
  required: Pick<ProcessSpec, "name" | "cmd" | "cwd">,
  overrides: Partial<ProcessSpec> = {},
): ProcessSpec {
  return {
    env: {},
    userEnv: {},
    port: null,
    proxy: false,
    browserLogs: false,
    watch: [],
    watchIgnore: [],
    ready: null,
    dependsOn: [],
    configPath: null,
    stdin: "null",
    ...SPEC_DEFAULTS,
    ...required,
    ...overrides,
  };
}

/** How the supervisor decides that a process is ready. */
export type ReadyCheck =
  | { kind: "log"; pattern: string; regex: boolean }
  | { kind: "http"; url: string }
  | { kind: "tcp"; port: number; host: string }
  | { kind: "cmd"; cmd: string }
  /** Ready once the process group listens on its `PORT` (or on any TCP port when it has none). */
  | { kind: "listen" };

/** Everything the daemon needs to start (and restart) one process. */
export interface ProcessSpec {
  /** Unique name within the session. */
  name: string;
  /** Shell command, run as `sh -c CMD`. */
  cmd: string;
  /** Absolute working directory. */
  cwd: string;
  /** The complete environment of the child (caller's env plus overrides). */
  env: Record<string, string>;
  /**
   * The variables the user set explicitly (config `env`/`env_file`, `--env`,
   * `--env-file`); they win over injected `PORT`/`HOST`, and they (not the
   * inherited environment) decide whether a spec changed between two `up`s.
   */
  userEnv: Record<string, string>;
  /** Port given to the process (`PORT`/`HOST` injected), or null. */
  port: number | null;
  /** Whether the process is reachable through the session's proxy. */
  proxy: boolean;
  /** Whether HTML pages through the proxy get the console capture (`browser_logs`). */
  browserLogs: boolean;
  /** Restart policy after the process ends by itself. */
  autorestart: RestartPolicy;
  /** Maximum automatic restarts, null for unlimited. */
  maxRestarts: number | null;
  /** Base delay before an automatic restart, in ms. */
  restartDelayMs: number;
  /** Globs (relative to cwd) whose changes restart the process. */
  watch: string[];
  /** Extra globs to ignore when watching. */
  watchIgnore: string[];
  /** Readiness check, or null when the process has none. */
  ready: ReadyCheck | null;
  /** How long readiness may take, in ms. */
  readyTimeoutMs: number;
  /** Signal sent to the process group to stop it. */
  stopSignal: Deno.Signal;
  /** Grace period before SIGKILL, in ms. */
  stopTimeoutMs: number;
  /** Names of processes that must be ready first (config only). */
  dependsOn: string[];
  /** Absolute path of the config file that defined it, or null for `run`. */
  configPath: string | null;
  /** `pipe`: the daemon keeps a pipe to its stdin (for `send`); `null`: stdin is /dev/null. */
  stdin: StdinMode;
}

/** What a process's stdin is: a pipe the daemon writes to (`send`), or /dev/null. */
export type StdinMode = "pipe" | "null";

/** Every stdin mode (the config's `stdin:` values). */
export const STDIN_MODES = ["pipe", "null"] as const satisfies readonly StdinMode[];

/** Lifecycle state names, as printed by `status`. */
export type StateName = "running" | "stopping" | "restarting" | "exited" | "stopped" | "failed";

/** One row of `status --json`: every key is always present. */
export interface ProcessInfo {
  name: string;
  id: string;
  generation: number;
  pid: number | null;
  state: StateName;
  ready: boolean | null;
  exit_code: number | null;
  signal: string | null;
  uptime_secs: number | null;
  started_at: string | null;
  command: string;
  cwd: string;
  port: number | null;
  url: string | null;
  restart_count: number;
  max_restarts: number | null;
  restart_policy: RestartPolicy;
  watched: boolean;
  /** Generation at which the current run began (the last `run`, `up` or manual restart). */
  run_generation: number;
  /** When a `restarting` process will be started again (ISO time), else null. */
  next_restart_at: string | null;
  /** A problem with the file watcher (bad glob, OS limit), else null. */
  watch_error: string | null;
  /** Why output capture is failing (e.g. disk full, read-only log dir), else null. */
  log_error: string | null;
  /** The last failed incarnation and its digest, or null. */
  last_failure: LastFailure | null;
  /** Its last 3 incarnations each failed within 10 s of starting, and it is still restarted. */
  crash_loop: boolean;
  /** TCP ports the process group listens on, ascending (empty when none or unknown). */
  listening: number[];
  /** CPU use of the group, percent of one core (sampled when asked), or null. */
  cpu_percent: number | null;
  /** Resident memory of the group in bytes (sampled when asked), or null. */
  rss_bytes: number | null;
  /** `pipe` when `send` can write to its stdin, else `null` (/dev/null). */
  stdin: StdinMode;
  /** The question it printed and waits at (SPEC §16), or null. */
  awaiting_input: AwaitingInputInfo | null;
}

/** `awaiting_input` of a status row: the prompt, and since when (ISO time) it waits. */
export interface AwaitingInputInfo {
  prompt: string;
  since: string;
}

/** `last_failure` of a status row (SPEC §10). */
export interface LastFailure {
  reason: "exited" | "signal" | "ready-timeout" | "ready-exit" | "spawn-failed";
  exit_code: number | null;
  signal: string | null;
  /** ISO time. */
  at: string;
  /** The digest's lines joined by `\n`. */
  excerpt: string;
  /** The digest's decisive line (the exception, the `Error:` line, ...). */
  headline: string;
  /** `hint: port N is held by pid P (COMMAND)...` when a port in use was named, else null. */
  hint: string | null;
}
