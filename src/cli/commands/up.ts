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
import type { Reply, UpResult } from "../../protocol.ts";
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

/** Runs `up` or `down`. */
export async function run(rawCtx: CommandContext): Promise<number> {
  const { config, ctx } = await loadStack(rawCtx);
  if (ctx.command === "down") return await down(ctx, config);
  const { selectProcesses } = await import("../../config/graph.ts");
  const names = selected(ctx);
  const sel = selectProcesses(config.processes, names, bool(ctx, "no-deps"));
  if (!sel.ok) throw new CliError(sel.message, { exitCode: 2 });
  const proxy = bool(ctx, "proxy") || config.proxy;
  const specs = config.processes.map((p) => ({ ...p, proxy: proxy || p.proxy }));
  const view = !ctx.json && Deno.stdout.isTerminal()
    ? new LiveView(sel.selected.map((p) => p.name))
    : null;
  const onMessage = (m: Reply) => {
    if (m.type === "note") {
      if (!ctx.json) ctx.out(m.text);
      return;
    }
    if (m.type !== "progress" || ctx.json) return;
    if (view) {
      view.update(m.name, m.step, m.message);
      if (m.step === "failed") view.fail(m.name, m.message ?? "failed", m.details);
      return;
    }
    printStep(ctx, m);
  };
  const result = await request(ctx.paths, {
    type: "up",
    specs,
    selected: sel.selected.map((p) => p.name),
    proxy,
    proxyPort: config.proxyPort,
  }, { autostart: true, timeoutMs: 0, onMessage }) as UpResult;
  view?.finish();
  if (ctx.json) {
    ctx.out(JSON.stringify(result));
  } else if (result.failed.length === 0 && result.blocked.length === 0) {
    ctx.out("all processes started");
  } else {
    if (result.blocked.length) ctx.err(`error: not started: ${result.blocked.join(", ")}`);
    ctx.err(`error: failed: ${result.failed.join(", ")}`);
  }
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

async function down(ctx: CommandContext, config: StackConfig): Promise<number> {
  const names = config.processes.map((p) => p.name);
  const res = await request(ctx.paths, { type: "down", names }, {
    autostart: true,
    timeoutMs: 0,
  }) as {
    stopped: string[];
    forgotten: string[];
  };
  if (ctx.json) ctx.out(JSON.stringify(res));
  else {
    for (const n of res.stopped) ctx.out(`stopped ${n}`);
    ctx.out(res.forgotten.length ? "all config processes stopped" : "nothing to stop");
  }
  return 0;
}
