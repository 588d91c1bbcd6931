/**
 * `up` and `down`: start or stop the stack of an `agent-procs.yaml`. The
 * config is loaded and validated here (nothing starts on any error); the
 * daemon does the ordering and reports each step as it happens.
 */

import { CliError, EXIT } from "../errors.ts";
import { findConfig } from "../config/find.ts";
import { Cancelled, request } from "../client/connect.ts";
import type { DownResult, Reply, Request, UpResult } from "../protocol.ts";
import type { StackConfig } from "../config/types.ts";
import { type OpContext, reqOpts, withSession } from "./context.ts";
import type { OptionValues } from "./convert.ts";
import type { DOWN_OPTIONS, UP_OPTIONS } from "./options.ts";
import { resolvePath } from "./run.ts";

/** Input of `up`: names to start (with what they depend on), plus options. */
export type UpInput = { names?: string[] } & OptionValues<typeof UP_OPTIONS>;

/** Input of `down`. */
export type DownInput = OptionValues<typeof DOWN_OPTIONS>;

/** A message of a running `up`: a step of one process, or a note (e.g. the proxy's URL). */
export type UpEvent = Extract<Reply, { type: "progress" | "note" }>;

/** Result of `up`; `ok` is false when a process failed or was not started. */
export type UpOutcome = UpResult & { ok: boolean };

/** A loaded config and the context it runs in (its `session:` applies unless one was chosen). */
export interface Stack {
  config: StackConfig;
  ctx: OpContext;
}

/** Loads the config for `up`/`down`, or throws a one-line `file:line:col` error. */
export async function loadStack(configOpt: string | undefined, ctx: OpContext): Promise<Stack> {
  const given = configOpt === undefined ? undefined : resolvePath(ctx.cwd, configOpt);
  const path = given ?? ctx.session.configPath ?? findConfig(ctx.cwd);
  if (!path) {
    throw new CliError(`no agent-procs.yaml found in ${ctx.cwd} or its parents`, {
      hint: "create one (see README) or pass --config PATH",
    });
  }
  const { loadConfig, formatConfigError } = await import("../config/load.ts");
  const res = await loadConfig(path, ctx.env);
  if (!res.ok) throw new CliError(formatConfigError(res.error));
  const config = res.config;
  const source = ctx.session.source;
  if (config.session && (source === "default" || source === "config")) {
    return { config, ctx: withSession(ctx, config.session) };
  }
  return { config, ctx };
}

/** The `up` request for the selected processes of `config` (exit 2 for unknown names). */
export async function upRequest(
  input: UpInput,
  config: StackConfig,
): Promise<Extract<Request, { type: "up" }>> {
  const { selectProcesses } = await import("../config/graph.ts");
  const wanted = [
    ...(input.names ?? []),
    ...(input.only ?? []).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean),
  ];
  const sel = selectProcesses(config.processes, wanted, input.noDeps === true);
  if (!sel.ok) throw new CliError(sel.message, { exitCode: EXIT.notFound });
  const proxy = input.proxy === true || config.proxy;
  return {
    type: "up",
    specs: config.processes.map((p) => ({ ...p, proxy: proxy || p.proxy })),
    selected: sel.selected.map((p) => p.name),
    proxy,
    proxyPort: config.proxyPort,
  };
}

/** What `up` is about to do, before it starts (presenters show progress for these names). */
export interface UpPlan {
  stack: Stack;
  request: Extract<Request, { type: "up" }>;
}

/** Loads and checks everything `up` needs; nothing starts yet. */
export async function planUp(input: UpInput, ctx: OpContext): Promise<UpPlan> {
  const stack = await loadStack(input.config, ctx);
  return { stack, request: await upRequest(input, stack.config) };
}

/** Runs a planned `up`, reporting each step to `onEvent`; null when `ctx.signal` aborted it. */
export async function runUp(
  plan: UpPlan,
  onEvent: (e: UpEvent) => void,
): Promise<UpOutcome | null> {
  const { ctx } = plan.stack;
  try {
    const r = await request(ctx.paths, plan.request, {
      ...reqOpts(ctx, { autostart: true, timeoutMs: 0, cancellable: true }),
      onMessage: (m) => {
        if (m.type === "progress" || m.type === "note") onEvent(m);
      },
    });
    return { ...r, ok: r.failed.length === 0 && r.blocked.length === 0 };
  } catch (e) {
    if (e instanceof Cancelled) return null;
    throw e;
  }
}

/** `up` in one call. */
export async function up(
  input: UpInput,
  ctx: OpContext,
  onEvent: (e: UpEvent) => void,
): Promise<UpOutcome | null> {
  return await runUp(await planUp(input, ctx), onEvent);
}

/** Stops the config's processes (dependents first) and forgets them; null when cancelled. */
export async function down(input: DownInput, ctx: OpContext): Promise<DownResult | null> {
  const stack = await loadStack(input.config, ctx);
  const names = stack.config.processes.map((p) => p.name);
  try {
    return await request(
      stack.ctx.paths,
      { type: "down", names },
      reqOpts(stack.ctx, { autostart: true, timeoutMs: 0, cancellable: true }),
    );
  } catch (e) {
    if (e instanceof Cancelled) return null;
    throw e;
  }
}
