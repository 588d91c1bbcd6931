/**
 * The MCP tools' handlers. Each turns its typed arguments into the CLI
 * invocation it stands for and calls the very functions the CLI commands use
 * (spec building, requests to the daemon, saved-state fallbacks, text
 * formatting), so sessions, validation, messages and exit codes are the
 * CLI's. Errors are thrown as `CliError`s; `results.ts` shapes them.
 */

import { CliError } from "../errors.ts";
import { seconds } from "../cli/context.ts";
import { processLine } from "../cli/format.ts";
import { awaitReady, buildSpec, startProcess } from "../cli/commands/run.ts";
import { stopTargets, stopText } from "../cli/commands/stop.ts";
import { restartLine, restartTargets } from "../cli/commands/restart.ts";
import { selectStatus, statusText } from "../cli/commands/status.ts";
import { collectLogs } from "../cli/commands/logs.ts";
import { waitResult, waitText } from "../cli/commands/wait.ts";
import {
  downText,
  loadStack,
  printUpMessage,
  reportUp,
  sendUp,
  stopStack,
  upRequest,
} from "../cli/commands/up.ts";
import { formatText, jsonEntry } from "../logs/output.ts";
import { envPairs, flags, toolContext } from "./context.ts";
import { errorLines, type ToolOutcome } from "./results.ts";
import type {
  downInput,
  Input,
  logsInput,
  restartInput,
  runInput,
  statusInput,
  stopInput,
  upInput,
  waitInput,
} from "./schemas.ts";

/** What a handler gets besides its arguments. */
export interface CallEnv {
  /** The server's own `--session`, if it was started with one. */
  serverSession: string | undefined;
  /** Aborted when the client cancels the call. */
  signal: AbortSignal;
  /** Tells the client a long call is still going; returns a function that stops telling. */
  heartbeat(message: string): () => void;
}

/** `run`: starts a process; with `ready`, returns once a line contains it. */
export async function runTool(a: Input<typeof runInput>, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, lines } = toolContext(env.serverSession, {
    command: "run",
    args: [a.cmd],
    session: a.session,
    flags: flags({
      name: a.name,
      port: a.port,
      proxy: a.proxy,
      autorestart: a.autorestart,
      max_restarts: a.max_restarts,
      restart_delay: a.restart_delay,
      watch: a.watch,
      watch_ignore: a.watch_ignore,
      cwd: a.cwd,
      env: envPairs(a.env),
      env_file: a.env_file,
      ready: a.ready,
      timeout: a.timeout,
    }),
  });
  const spec = buildSpec(ctx);
  const timeoutMs = seconds(ctx, "timeout", 30_000);
  const { info, notes } = await startProcess(ctx, spec);
  lines.push(...notes, processLine(info));
  if (a.ready === undefined) return { kind: "ok", lines, data: { process: info, notes } };
  const stop = env.heartbeat(`waiting for ${info.name} to print ${JSON.stringify(a.ready)}`);
  try {
    if (!await awaitReady(ctx, info.name, a.ready, timeoutMs, env.signal)) {
      return { kind: "cancelled" };
    }
  } catch (e) {
    // It started but never got ready: say both, as the CLI's stdout and stderr do.
    if (!(e instanceof CliError)) throw e;
    return { kind: "failed", lines: [...lines, ...errorLines(e)], data: { process: info, notes } };
  } finally {
    stop();
  }
  return { kind: "ok", lines, data: { process: { ...info, ready: true }, notes } };
}

/** `stop`: stops the named processes, or all of them. */
export async function stopTool(a: Input<typeof stopInput>, env: CallEnv): Promise<ToolOutcome> {
  const names = a.names ?? [];
  if (a.all && names.length) throw new CliError("stop: give names or all, not both");
  if (!a.all && !names.length) {
    throw new CliError("stop: missing <name>...", { hint: "pass names, or all: true" });
  }
  const command = a.all ? "stop-all" : "stop";
  const { ctx } = toolContext(env.serverSession, {
    command,
    args: names,
    flags: {},
    session: a.session,
  });
  const stopped = await stopTargets(ctx);
  return { kind: "ok", lines: stopText(command, stopped), data: { stopped } };
}

/** `restart`: restarts processes; fails (with their rows) if one did not stay up. */
export async function restartTool(
  a: Input<typeof restartInput>,
  env: CallEnv,
): Promise<ToolOutcome> {
  const { ctx } = toolContext(env.serverSession, {
    command: "restart",
    args: a.names,
    flags: {},
    session: a.session,
  });
  const infos = await restartTargets(ctx);
  const lines = infos.map((p) => restartLine(p));
  return {
    kind: lines.every((l) => l.kind === "restarted") ? "ok" : "failed",
    lines: lines.map((l) => l.text),
    data: { processes: infos },
  };
}

/** `status`: the process table. */
export async function statusTool(
  a: Input<typeof statusInput>,
  env: CallEnv,
): Promise<ToolOutcome> {
  const { ctx } = toolContext(env.serverSession, {
    command: "status",
    args: a.names ?? [],
    flags: {},
    session: a.session,
  });
  const procs = await selectStatus(ctx);
  return { kind: "ok", lines: statusText(procs), data: { processes: procs } };
}

/** `logs`: a process's recent output (tail, grep with context, since, stderr, all). */
export async function logsTool(a: Input<typeof logsInput>, env: CallEnv): Promise<ToolOutcome> {
  const { ctx } = toolContext(env.serverSession, {
    command: "logs",
    args: a.name === undefined ? [] : [a.name],
    session: a.session,
    flags: flags({
      all: a.all,
      tail: a.tail,
      stderr: a.stderr,
      grep: a.grep,
      regex: a.regex,
      context: a.context,
      since: a.since,
    }),
  });
  const { plan, entries } = await collectLogs(ctx);
  const format = { prefixName: plan.prefix, timestamps: false };
  return {
    kind: "ok",
    lines: entries.map((e) => formatText(e, format)),
    data: { lines: entries.map(jsonEntry).filter((l) => l !== null) },
  };
}

/** `wait`: blocks until a line, readiness or exit; the client can cancel it. */
export async function waitTool(a: Input<typeof waitInput>, env: CallEnv): Promise<ToolOutcome> {
  const { ctx } = toolContext(env.serverSession, {
    command: "wait",
    args: [a.name],
    session: a.session,
    flags: flags({
      until: a.until,
      regex: a.regex,
      exit: a.exit,
      ready: a.ready,
      timeout: a.timeout,
    }),
  });
  if (env.signal.aborted) return { kind: "cancelled" };
  const stop = env.heartbeat(`waiting for ${a.name}`);
  try {
    const r = await waitResult(ctx, env.signal);
    if (r === null) return { kind: "cancelled" };
    return { kind: "ok", lines: [waitText(a.name, r)], data: { process: a.name, ...r } };
  } finally {
    stop();
  }
}

/** `up`: starts a config's processes in dependency order. */
export async function upTool(a: Input<typeof upInput>, env: CallEnv): Promise<ToolOutcome> {
  const call = toolContext(env.serverSession, {
    command: "up",
    args: a.names ?? [],
    session: a.session,
    flags: flags({ no_deps: a.no_deps, config: a.config, proxy: a.proxy }),
  });
  const { config, ctx } = await loadStack(call.ctx);
  const req = await upRequest(ctx, config);
  const stop = env.heartbeat(`starting ${req.selected.join(", ")}`);
  try {
    const result = await sendUp(ctx, req, (m) => printUpMessage(ctx, m), env.signal);
    if (result === null) return { kind: "cancelled" };
    const code = reportUp(ctx, result);
    return { kind: code === 0 ? "ok" : "failed", lines: call.lines, data: { ...result } };
  } finally {
    stop();
  }
}

/** `down`: stops a config's processes, dependents first, and forgets them. */
export async function downTool(a: Input<typeof downInput>, env: CallEnv): Promise<ToolOutcome> {
  const call = toolContext(env.serverSession, {
    command: "down",
    args: [],
    session: a.session,
    flags: flags({ config: a.config }),
  });
  const { config, ctx } = await loadStack(call.ctx);
  const res = await stopStack(ctx, config, env.signal);
  if (res === null) return { kind: "cancelled" };
  return { kind: "ok", lines: downText(res), data: { ...res } };
}
