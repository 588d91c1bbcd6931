/**
 * Input and output schemas of the MCP tools (zod shapes the SDK turns into
 * JSON Schema). Inputs mirror the CLI's flags with typed values; outputs
 * mirror what `--json` prints. Output rows are loose objects, so a field added
 * to `status --json` later does not break clients validating against them.
 */

import { z } from "zod";

const session = z.string().optional().describe(
  "session to use (default: the server's --session, AGENT_PROCS_SESSION, the session: of the " +
    "agent-procs.yaml found from the server's working directory, else 'default')",
);

const timeout = (def: string) =>
  z.number().nonnegative().optional().describe(
    `give up after this many seconds (default ${def}; 0 = no limit)`,
  );

const names = z.array(z.string().min(1));

/** `run`: start a background process. */
export const runInput = {
  cmd: z.string().min(1).describe("shell command, run as `sh -c CMD`"),
  name: z.string().optional().describe("process name (default: from the command's first word)"),
  port: z.number().int().min(1).max(65535).optional().describe(
    "port; injects PORT and HOST=127.0.0.1",
  ),
  proxy: z.boolean().optional().describe("serve it at http://NAME.localhost:PROXYPORT"),
  autorestart: z.enum(["always", "on-failure", "never"]).optional().describe(
    "restart policy (default never)",
  ),
  max_restarts: z.number().int().nonnegative().optional().describe("limit automatic restarts"),
  restart_delay: z.number().int().nonnegative().optional().describe(
    "base restart delay in ms (default 1000)",
  ),
  watch: z.array(z.string()).optional().describe("restart when files matching these globs change"),
  watch_ignore: z.array(z.string()).optional().describe("globs to ignore when watching"),
  cwd: z.string().optional().describe("working directory (default: the server's)"),
  env: z.record(z.string().regex(/^[^=]+$/), z.string()).optional().describe(
    "environment variables to set",
  ),
  env_file: z.string().optional().describe("load variables from a dotenv file"),
  ready: z.string().optional().describe("return only once a line contains this text"),
  timeout: timeout("30; with ready"),
  session,
};

/** `stop`: stop processes, or all of them. */
export const stopInput = {
  names: names.optional().describe("processes to stop (names or ids)"),
  all: z.boolean().optional().describe("stop every process of the session"),
  session,
};

/** `restart`: restart processes. */
export const restartInput = {
  names: names.min(1).describe("processes to restart (names or ids)"),
  session,
};

/** `status`: the process table. */
export const statusInput = {
  names: names.optional().describe("only these processes (default: all)"),
  session,
};

/** `logs`: a process's recent output. */
export const logsInput = {
  name: z.string().min(1).optional().describe("process name or id (or set all)"),
  all: z.boolean().optional().describe("every process, interleaved in time order"),
  tail: z.number().int().nonnegative().optional().describe("last N lines (default 100)"),
  stderr: z.boolean().optional().describe("stderr instead of stdout"),
  grep: z.string().optional().describe("only lines containing this text"),
  regex: z.boolean().optional().describe("grep is a regular expression"),
  context: z.number().int().nonnegative().optional().describe("lines around each grep match"),
  since: z.string().optional().describe("30s, 5m, 2h, restart, start, or an ISO time"),
  session,
};

/** `wait`: block until a line, readiness or exit. */
export const waitInput = {
  name: z.string().min(1).describe("process name or id"),
  until: z.string().optional().describe("a line of the current run containing this text"),
  regex: z.boolean().optional().describe("until is a regular expression"),
  exit: z.boolean().optional().describe("wait for the process to exit"),
  ready: z.boolean().optional().describe("wait until the process is ready"),
  timeout: timeout("30"),
  session,
};

/** `up`: start a stack from agent-procs.yaml. */
export const upInput = {
  names: names.optional().describe("only these processes and what they depend on"),
  no_deps: z.boolean().optional().describe("do not start what the named processes depend on"),
  config: z.string().optional().describe("config file (default: search from the server's cwd up)"),
  proxy: z.boolean().optional().describe("enable the reverse proxy"),
  session,
};

/** `down`: stop a config's processes. */
export const downInput = {
  config: z.string().optional().describe("config file (default: search from the server's cwd up)"),
  session,
};

/** A row of `status --json` (the fields clients can rely on; more may be present). */
export const processRow = z.looseObject({
  name: z.string(),
  id: z.string(),
  generation: z.number(),
  pid: z.number().nullable(),
  state: z.string(),
  ready: z.boolean().nullable(),
  exit_code: z.number().nullable(),
  signal: z.string().nullable(),
  uptime_secs: z.number().nullable(),
  command: z.string(),
  cwd: z.string(),
  port: z.number().nullable(),
  url: z.string().nullable(),
  restart_count: z.number(),
  max_restarts: z.number().nullable(),
  restart_policy: z.string(),
  watched: z.boolean(),
});

/** A log line as `logs --json` prints it. */
export const logLine = z.looseObject({
  process: z.string(),
  stream: z.enum(["stdout", "stderr"]),
  time: z.string(),
  seq: z.number(),
  generation: z.number(),
  text: z.string(),
  context: z.boolean(),
  annotation: z.boolean(),
});

const wireLine = z.looseObject({
  seq: z.number(),
  ts: z.number(),
  stream: z.enum(["stdout", "stderr"]),
  generation: z.number(),
  text: z.string(),
});

/** Output of `run`. */
export const runOutput = { process: processRow, notes: z.array(z.string()) };
/** Output of `stop`. */
export const stopOutput = { stopped: z.array(z.string()) };
/** Output of `restart` and `status`. */
export const processesOutput = { processes: z.array(processRow) };
/** Output of `logs`. */
export const logsOutput = { lines: z.array(logLine) };
/** Output of `wait` (`kind` says which fields are set). */
export const waitOutput = {
  process: z.string(),
  kind: z.enum(["matched", "exited", "ready"]),
  line: wireLine.optional(),
  exitCode: z.number().nullable().optional(),
  signal: z.string().nullable().optional(),
};
/** Output of `up`. */
export const upOutput = {
  processes: z.array(processRow),
  failed: z.array(z.string()),
  blocked: z.array(z.string()),
  proxy: z.string().nullable(),
};
/** Output of `down`. */
export const downOutput = { stopped: z.array(z.string()), forgotten: z.array(z.string()) };

type Shape = Record<string, z.ZodType>;
/** The parsed arguments of a tool with input shape `S`. */
export type Input<S extends Shape> = z.infer<z.ZodObject<S>>;
