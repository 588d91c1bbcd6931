/**
 * Input and output schemas of the MCP tools (zod shapes the SDK turns into
 * JSON Schema). Inputs are built from the option catalogue (`ops/options.ts`,
 * the same entries the CLI's flags come from); outputs mirror what `--json`
 * prints. Output rows are loose objects, so a field added
 * to `status --json` later does not break clients validating against them.
 */

import { z } from "zod";
import * as catalogue from "../ops/options.ts";
import type { OptionMap } from "../ops/convert.ts";
import { STREAM_NAMES } from "../logs/index_format.ts";

/** The zod type of one catalogue option (optional, described by its help text). */
export function zodOption(o: catalogue.OptionSpec): z.ZodType {
  const base = (): z.ZodType => {
    switch (o.kind) {
      case "boolean":
        return z.boolean();
      case "string":
        return z.string();
      case "strings":
        return z.array(o.choices ? z.enum(o.choices as [string, ...string[]]) : z.string());
      case "count":
      case "ms":
        return z.number().int().nonnegative();
      case "seconds":
        return z.number().nonnegative();
      case "port":
        return z.number().int().min(1).max(65535);
      case "choice":
        return z.enum(o.choices as [string, ...string[]]);
      case "env":
        return z.record(z.string().regex(/^[^=]+$/), z.string());
    }
  };
  const unit = o.kind === "seconds" ? " (seconds)" : o.kind === "ms" ? " (milliseconds)" : "";
  return base().optional().describe(o.help + unit);
}

/** The MCP input shape of a map of catalogue options, keyed by their argument names. */
export function optionShape(map: OptionMap): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const o of Object.values(map)) shape[catalogue.argName(o)] = zodOption(o);
  return shape;
}

const session = zodOption(catalogue.OPT.session);
const names = z.array(z.string().min(1));

/** `run`: start a background process. */
export const runInput = {
  cmd: z.string().min(1).describe("shell command, run as `sh -c CMD`"),
  ...optionShape(catalogue.RUN_OPTIONS),
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
  ...optionShape(catalogue.STATUS_OPTIONS),
  session,
};

/** `logs`: a process's recent output. */
export const logsInput = {
  name: z.string().min(1).optional().describe("process name or id (or set all)"),
  ...optionShape(catalogue.LOGS_OPTIONS),
  session,
};

/** `wait`: block until a line, readiness or exit. */
export const waitInput = {
  name: z.string().min(1).describe("process name or id"),
  ...optionShape(catalogue.WAIT_OPTIONS),
  session,
};

/** `send`: write to the stdin pipe of a process. */
export const sendInput = {
  name: z.string().min(1).describe("process name or id (started with stdin)"),
  text: z.string().optional().describe("text to write (a newline is added unless no_newline)"),
  ...optionShape(catalogue.SEND_OPTIONS),
  session,
};

/** `send`'s result. */
export const sendOutput = { name: z.string(), bytes: z.number(), eof: z.boolean() };

/** `events`: the session's lifecycle events. */
export const eventsInput = {
  names: names.optional().describe("only these processes (default: all)"),
  ...optionShape(catalogue.EVENTS_OPTIONS),
  session,
};

/** `up`: start a stack from agent-procs.yaml. */
export const upInput = {
  names: names.optional().describe("only these processes and what they depend on"),
  ...optionShape(catalogue.UP_OPTIONS),
  session,
};

/** `down`: stop a config's processes. */
export const downInput = { ...optionShape(catalogue.DOWN_OPTIONS), session };

/** `init`: write agent-procs.yaml from another format (in the server's working directory). */
export const initInput = { ...optionShape(catalogue.INIT_OPTIONS) };

/** `export`: the stack as Compose, Kubernetes or systemd files. */
export const exportInput = { ...optionShape(catalogue.EXPORT_OPTIONS), session };

/** `setup_agent`: register agent-procs with the project's agent clients (server's cwd). */
export const setupAgentInput = { ...optionShape(catalogue.SETUP_AGENT_OPTIONS) };

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
  stream: z.enum(STREAM_NAMES),
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
  stream: z.enum(STREAM_NAMES),
  generation: z.number(),
  text: z.string(),
});

/** `port`: who listens on or leases a TCP port. */
export const portInput = {
  port: z.number().int().min(1).max(65535).describe("TCP port"),
  session,
};

/** Output of `port` (as `port N --json` prints it). */
export const portOutput = {
  port: z.number(),
  free: z.boolean(),
  listener: z.looseObject({ pid: z.number(), pgid: z.number().nullable(), command: z.string() })
    .nullable(),
  owner: z.looseObject({
    session: z.string(),
    name: z.string(),
    pid: z.number().nullable(),
    via: z.string(),
  }).nullable(),
};

/** Output of `run`. */
export const runOutput = {
  process: processRow,
  notes: z.array(z.string()),
  outcome: z.enum(["kept", "restarted", "started"]).optional()
    .describe("with ensure: what was done"),
};
/** Output of `stop`. */
export const stopOutput = { stopped: z.array(z.string()) };
/** Output of `restart` and `status`. */
export const processesOutput = { processes: z.array(processRow) };
/** Output of `logs`. */
export const logsOutput = { lines: z.array(logLine) };
/** Output of `wait` (`kind` says which fields are set). */
export const waitOutput = {
  process: z.string(),
  kind: z.enum(["matched", "exited", "ready", "event", "settled"]),
  settled: z.looseObject({ name: z.string(), verdict: z.enum(["ok", "error"]) }).optional(),
  line: wireLine.optional(),
  event: z.looseObject({ time: z.string(), name: z.string(), id: z.string(), type: z.string() })
    .optional(),
  exitCode: z.number().nullable().optional(),
  signal: z.string().nullable().optional(),
};
/** Output of `events`: each as `events --json` prints it. */
export const eventsOutput = {
  events: z.array(
    z.looseObject({ time: z.string(), name: z.string(), id: z.string(), type: z.string() }),
  ),
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

/** A field an import could not map. */
const configWarning = z.object({
  file: z.string(),
  line: z.number().nullable(),
  message: z.string(),
});
/** Output of `init`. */
export const initOutput = {
  path: z.string(),
  source: z.string(),
  format: z.string(),
  text: z.string(),
  written: z.boolean(),
  replaced: z.boolean(),
  processes: z.array(z.string()),
  warnings: z.array(configWarning),
};

/** Output of `export`. */
export const exportOutput = {
  format: z.string(),
  files: z.array(z.object({ name: z.string(), path: z.string().nullable(), text: z.string() })),
  warnings: z.array(z.string()),
  importWarnings: z.array(configWarning),
};

/** Output of `setup_agent`. */
export const setupAgentOutput = {
  dir: z.string(),
  detected: z.array(z.string()),
  clients: z.array(z.string()),
  changes: z.array(z.object({
    path: z.string(),
    action: z.enum(["create", "update", "unchanged"]),
    what: z.string(),
    text: z.string(),
  })),
  dryRun: z.boolean(),
};

/** The arguments of a tool call as the SDK hands them over (checked against its schema). */
export type ToolArgs = Record<string, unknown>;
