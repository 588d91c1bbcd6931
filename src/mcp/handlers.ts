/**
 * The MCP tools' handlers: each turns its checked arguments into an
 * operation's typed input (through the option catalogue, as the CLI does),
 * calls the operation, and returns its data plus the same text the CLI
 * prints (`present/text.ts`). Errors are thrown; `results.ts` shapes them.
 */

import { errorLines } from "../errors.ts";
import { readOptions } from "../ops/convert.ts";
import * as catalogue from "../ops/options.ts";
import type { OptionMap, OptionValues } from "../ops/convert.ts";
import { run } from "../ops/run.ts";
import { stop } from "../ops/stop.ts";
import { send } from "../ops/send.ts";
import { restart } from "../ops/restart.ts";
import { status } from "../ops/status.ts";
import { logs } from "../ops/logs.ts";
import { checkOneCondition, wait } from "../ops/wait.ts";
import { settle } from "../ops/settle.ts";
import { down, up } from "../ops/up.ts";
import { init } from "../ops/init.ts";
import { exportStack } from "../ops/export.ts";
import { setupAgent } from "../ops/setup_agent.ts";
import { events } from "../ops/events.ts";
import { port } from "../ops/port.ts";
import { portText } from "../present/port.ts";
import { eventJson, eventText } from "../events/types.ts";
import { formatText, jsonEntry } from "../logs/output.ts";
import {
  configWarningLines,
  exportLines,
  initLines,
  setupAgentLines,
} from "../present/formats_text.ts";
import {
  downText,
  type OutLine,
  restartLines,
  sentText,
  settleLines,
  stopText,
  upEventLines,
  upSummary,
} from "../present/text.ts";
import { runLines, statusText } from "../present/format.ts";
import { waitText } from "../present/wait_text.ts";
import { toolContext } from "./context.ts";
import type { ToolOutcome } from "./results.ts";
import type { ToolArgs } from "./schemas.ts";

/** What a handler gets besides its arguments. */
export interface CallEnv {
  /** The server's own `--session`, if it was started with one. */
  serverSession: string | undefined;
  /** Aborted when the client cancels the call. */
  signal: AbortSignal;
  /** Tells the client a long call is still going; returns a function that stops telling. */
  heartbeat(message: string): () => void;
  /** Notes a process this server started (`mcp --stop-on-exit`), if the server tracks them. */
  started?: (session: string, name: string) => void;
}

function opts<M extends OptionMap>(a: ToolArgs, map: M): OptionValues<M> {
  return readOptions(map, (o: catalogue.OptionSpec) => a[catalogue.argName(o)], "mcp");
}

function text(a: ToolArgs, key: string): string | undefined {
  const v = a[key];
  return typeof v === "string" ? v : undefined;
}

function texts(a: ToolArgs, key: string): string[] {
  const v = a[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function context(a: ToolArgs, env: CallEnv) {
  return toolContext(env.serverSession, text(a, "session"), env.signal);
}

const plain = (lines: OutLine[]) => lines.map((l) => l.text);

/** `run`: starts a process; with `ready`, returns once a line contains it. */
export async function runTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const input = { cmd: text(a, "cmd") ?? "", ...opts(a, catalogue.RUN_OPTIONS) };
  const stopBeat = input.readyListen
    ? env.heartbeat("waiting for it to listen")
    : input.ready === undefined
    ? () => {}
    : env.heartbeat(`waiting for a line containing ${JSON.stringify(input.ready)}`);
  try {
    const r = await run(input, ctx);
    if (r === null) return { kind: "cancelled" };
    env.started?.(ctx.session.name, r.process.name);
    const lines = [...warnings, ...plain(runLines(r.process, r.notes, r.outcome))];
    const waited = input.ready !== undefined || input.readyListen === true;
    const ready = waited ? { ready: r.readyError === null } : {};
    const data = {
      process: { ...r.process, ...ready },
      notes: r.notes,
      ...(r.outcome ? { outcome: r.outcome } : {}),
    };
    // Started but never ready: say both, as the CLI's stdout and stderr do.
    if (r.readyError) {
      return { kind: "failed", lines: [...lines, ...errorLines(r.readyError)], data };
    }
    return { kind: "ok", lines, data };
  } finally {
    stopBeat();
  }
}

/** `stop`: stops the named processes, or all of them. */
export async function stopTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const all = a.all === true;
  const { stopped } = await stop({ names: texts(a, "names"), all }, ctx);
  return { kind: "ok", lines: [...warnings, ...stopText(all, stopped)], data: { stopped } };
}

/** `send`: writes text and keys to the stdin pipe of a process. */
export async function sendTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const words = text(a, "text");
  const input = { name: text(a, "name") ?? "", text: words === undefined ? [] : [words] };
  const r = await send({ ...input, ...opts(a, catalogue.SEND_OPTIONS) }, ctx);
  return { kind: "ok", lines: [...warnings, ...sentText(r)], data: { ...r } };
}

/** `restart`: restarts processes; fails (with their rows) if one did not stay up. */
export async function restartTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const r = await restart({ names: texts(a, "names") }, ctx);
  return {
    kind: r.down.length ? "failed" : "ok",
    lines: [...warnings, ...plain(restartLines(r))],
    data: { processes: r.processes },
  };
}

/** `status`: the process table. */
export async function statusTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const names = texts(a, "names");
  const { resources } = opts(a, catalogue.STATUS_OPTIONS);
  // The data is what `status --json` prints: resources are always sampled.
  const { processes } = await status({ names, resources: true }, ctx);
  const lines = [...warnings, ...statusText(processes, names.length > 0, resources === true)];
  return { kind: "ok", lines, data: { processes } };
}

/** `logs`: a process's recent output (tail, grep with context, since, stderr, all). */
export async function logsTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const { plan, entries } = await logs({
    name: text(a, "name"),
    ...opts(a, catalogue.LOGS_OPTIONS),
  }, ctx);
  const format = { prefixName: plan.all, timestamps: false };
  return {
    kind: "ok",
    lines: [...warnings, ...entries.map((e) => formatText(e, format))],
    data: { lines: entries.map(jsonEntry).filter((l) => l !== null) },
  };
}

/** `wait`: blocks until a line, readiness or exit; the client can cancel it. */
export async function waitTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const name = text(a, "name") ?? "";
  if (env.signal.aborted) return { kind: "cancelled" };
  const stopBeat = env.heartbeat(`waiting for ${name}`);
  try {
    const input = { name, ...opts(a, catalogue.WAIT_OPTIONS) };
    if (input.settle) {
      checkOneCondition(input);
      const s = await settle(
        { names: [name], quiet: input.quiet, timeoutMs: input.timeoutMs },
        ctx,
      );
      if (s === null) return { kind: "cancelled" };
      const lines = [...warnings, ...plain(settleLines(s))];
      const data = { process: name, kind: "settled", settled: s[0] };
      return { kind: s[0].verdict === "ok" ? "ok" : "failed", lines, data };
    }
    const r = await wait(input, ctx);
    if (r === null) return { kind: "cancelled" };
    const data = r.kind === "event"
      ? { process: name, kind: r.kind, event: JSON.parse(eventJson(r.event)) }
      : { process: name, ...r };
    return { kind: "ok", lines: [...warnings, waitText(name, r)], data };
  } finally {
    stopBeat();
  }
}

/** `events`: the session's lifecycle events, oldest first. */
export function eventsTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const r = events({ names: texts(a, "names"), ...opts(a, catalogue.EVENTS_OPTIONS) }, ctx);
  return Promise.resolve({
    kind: "ok",
    lines: [...warnings, ...(r.events.length ? r.events.map(eventText) : ["no events"])],
    data: { events: r.events.map((e) => JSON.parse(eventJson(e))) },
  });
}

/** `up`: starts a config's processes in dependency order. */
export async function upTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const lines: string[] = [];
  const stopBeat = env.heartbeat("starting the stack");
  try {
    const input = { names: texts(a, "names"), ...opts(a, catalogue.UP_OPTIONS) };
    const r = await up(input, ctx, (m) => {
      if (m.type === "progress" && (m.step === "started" || m.step === "restarted")) {
        env.started?.(ctx.session.name, m.name);
      }
      lines.push(...plain(upEventLines(m)));
    });
    if (r === null) return { kind: "cancelled" };
    const { ok, warnings: importWarnings, ...data } = r;
    const all = [
      ...warnings,
      ...plain(configWarningLines(importWarnings, ctx.cwd)),
      ...lines,
      ...plain(upSummary(r)),
    ];
    return { kind: ok ? "ok" : "failed", lines: all, data: { ...data } };
  } finally {
    stopBeat();
  }
}

/** `down`: stops a config's processes, dependents first, and forgets them. */
export async function downTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const res = await down(opts(a, catalogue.DOWN_OPTIONS), ctx);
  if (res === null) return { kind: "cancelled" };
  return { kind: "ok", lines: [...warnings, ...downText(res)], data: { ...res } };
}

/** `init`: writes agent-procs.yaml from another format in the server's working directory. */
export async function initTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const r = await init(opts(a, catalogue.INIT_OPTIONS), ctx);
  return { kind: "ok", lines: [...warnings, ...plain(initLines(r, ctx.cwd))], data: { ...r } };
}

/** `export`: the stack as files for another engine (written with `output`, else returned). */
export async function exportTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const r = await exportStack(opts(a, catalogue.EXPORT_OPTIONS), ctx);
  return { kind: "ok", lines: [...warnings, ...plain(exportLines(r, ctx.cwd))], data: { ...r } };
}

/** `setup_agent`: registers agent-procs with the agent clients of the server's working directory. */
export async function setupAgentTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const r = await setupAgent(opts(a, catalogue.SETUP_AGENT_OPTIONS), ctx);
  return { kind: "ok", lines: [...warnings, ...setupAgentLines(r)], data: { ...r } };
}

/** `port`: who listens on or leases a TCP port. */
export async function portTool(a: ToolArgs, env: CallEnv): Promise<ToolOutcome> {
  const { ctx, warnings } = context(a, env);
  const r = await port({ port: typeof a.port === "number" ? a.port : 0 }, ctx);
  return { kind: "ok", lines: [...warnings, portText(r)], data: { ...r } };
}
