/**
 * `up [names...] [--only X,Y] [--no-deps] [--config PATH] [--proxy]` and
 * `down [--config PATH]`: start or stop the stack of an `agent-procs.yaml`.
 * The config is loaded and validated here (nothing starts on any error); the
 * daemon does the ordering. Plain lines when stdout is not a TTY, a live view
 * when it is, one JSON document with `--json`.
 */

import { bool, type CommandContext, list, str } from "../context.ts";
import { CliError } from "../../errors.ts";
import { findConfig } from "../../config/find.ts";
import { sessionPaths } from "../../paths.ts";
import { request } from "../../client/connect.ts";
import type { Reply, Request, UpResult } from "../../protocol.ts";
import type { StackConfig } from "../../config/types.ts";
import { processLine } from "../format.ts";
import { LiveView } from "../live.ts";

/** Loads the config for `up`/`down`, or throws a one-line `file:line:col` error. */
export async function loadStack(
  ctx: CommandContext,
): Promise<{ config: StackConfig; ctx: CommandContext }> {
  const given = str(ctx, "config");
  const path = given ?? ctx.configPath ?? findConfig(Deno.cwd());
  if (!path) {
    throw new CliError(`no agent-procs.yaml found in ${Deno.cwd()} or its parents`, {
      hint: "create one (see README) or pass --config PATH",
    });
  }
  const { loadConfig, formatConfigError } = await import("../../config/load.ts");
  const res = await loadConfig(path, Deno.env.toObject());
  if (!res.ok) throw new CliError(formatConfigError(res.error));
  const config = res.config;
  // The config's session applies unless --session or AGENT_PROCS_SESSION chose one.
  if (config.session && (ctx.sessionSource === "default" || ctx.sessionSource === "config")) {
    ctx = { ...ctx, paths: sessionPaths(config.session), sessionSource: "config" };
  }
  return { config, ctx };
}

function selected(ctx: CommandContext): string[] {
  return [
    ...ctx.args,
    ...list(ctx, "only").flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean),
  ];
}

/** The `up` request for the selected processes of `config` (exit 2 for unknown names). */
export async function upRequest(
  ctx: CommandContext,
  config: StackConfig,
): Promise<Extract<Request, { type: "up" }>> {
  const { selectProcesses } = await import("../../config/graph.ts");
  const sel = selectProcesses(config.processes, selected(ctx), bool(ctx, "no-deps"));
  if (!sel.ok) throw new CliError(sel.message, { exitCode: 2 });
  const proxy = bool(ctx, "proxy") || config.proxy;
  return {
    type: "up",
    specs: config.processes.map((p) => ({ ...p, proxy: proxy || p.proxy })),
    selected: sel.selected.map((p) => p.name),
    proxy,
    proxyPort: config.proxyPort,
  };
}

/** Sends an `up` request (starting the daemon if needed); null when `signal` aborted it. */
export async function sendUp(
  ctx: CommandContext,
  req: Extract<Request, { type: "up" }>,
  onMessage: (m: Reply) => void,
  signal?: AbortSignal,
): Promise<UpResult | null> {
  return await request(ctx.paths, req, {
    autostart: true,
    timeoutMs: 0,
    onMessage,
    signal,
  }) as UpResult | null;
}

/** Prints one message of a running `up` as plain lines (notes and steps). */
export function printUpMessage(ctx: CommandContext, m: Reply): void {
  if (m.type === "note") ctx.out(m.text);
  else if (m.type === "progress") printStep(ctx, m);
}

/** Prints the closing lines of `up` (plain text) and returns its exit code. */
export function reportUp(ctx: CommandContext, result: UpResult): number {
  if (result.failed.length === 0 && result.blocked.length === 0) {
    ctx.out("all processes started");
    return 0;
  }
  if (result.blocked.length) ctx.err(`error: not started: ${result.blocked.join(", ")}`);
  ctx.err(`error: failed: ${result.failed.join(", ")}`);
  return 1;
}

/** Runs `up` or `down`. */
export async function run(rawCtx: CommandContext): Promise<number> {
  const { config, ctx } = await loadStack(rawCtx);
  if (ctx.command === "down") return await down(ctx, config);
  const req = await upRequest(ctx, config);
  const view = !ctx.json && Deno.stdout.isTerminal() ? new LiveView(req.selected) : null;
  const onMessage = (m: Reply) => {
    if (ctx.json) return;
    if (view && m.type === "progress") {
      view.update(m.name, m.step, m.message);
      if (m.step === "failed") view.fail(m.name, m.message ?? "failed", m.details);
      return;
    }
    printUpMessage(ctx, m);
  };
  const result = (await sendUp(ctx, req, onMessage))!;
  view?.finish();
  if (!ctx.json) return reportUp(ctx, result);
  ctx.out(JSON.stringify(result));
  return result.failed.length || result.blocked.length ? 1 : 0;
}

function printStep(ctx: CommandContext, m: Extract<Reply, { type: "progress" }>): void {
  switch (m.step) {
    case "started":
    case "restarted":
      if (m.info) ctx.out(`${m.step} ${processLine(m.info)}`);
      return;
    case "unchanged":
      if (m.info) ctx.out(`unchanged ${processLine(m.info)}`);
      return;
    case "ready":
      ctx.out(`${m.name} is ready`);
      return;
    case "failed":
      ctx.err(`error: ${m.message ?? `${m.name} failed`}`);
      if (m.details.length) {
        ctx.err(`  last lines of ${m.name}:`);
        for (const l of m.details) ctx.err(`    ${l}`);
      }
      return;
    case "blocked":
      ctx.err(`${m.name}: ${m.message ?? "not started"}`);
      return;
    case "waiting":
      return;
  }
}

/** What `down` did: the names it stopped and the names it forgot. */
export interface DownResult {
  stopped: string[];
  forgotten: string[];
}

/** Stops and forgets the processes of `config`; null when `signal` aborted the request. */
export async function stopStack(
  ctx: CommandContext,
  config: StackConfig,
  signal?: AbortSignal,
): Promise<DownResult | null> {
  const names = config.processes.map((p) => p.name);
  return await request(ctx.paths, { type: "down", names }, {
    autostart: true,
    timeoutMs: 0,
    signal,
  }) as DownResult | null;
}

/** The text `down` prints. */
export function downText(res: DownResult): string[] {
  return [
    ...res.stopped.map((n) => `stopped ${n}`),
    res.forgotten.length ? "all config processes stopped" : "nothing to stop",
  ];
}

async function down(ctx: CommandContext, config: StackConfig): Promise<number> {
  const res = (await stopStack(ctx, config))!;
  if (ctx.json) ctx.out(JSON.stringify(res));
  else for (const l of downText(res)) ctx.out(l);
  return 0;
}
