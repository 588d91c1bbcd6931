/**
 * `up` and `down`: start or stop the stack of an `agent-procs.yaml`. The
 * config is loaded and validated here (nothing starts on any error); the
 * daemon does the ordering and reports each step as it happens.
 */

import { CliError, EXIT } from "../errors.ts";
import { findConfig } from "../config/find.ts";
import { resolveTtl, sendTtl } from "./ttl.ts";
import { Cancelled, request } from "../client/connect.ts";
import type { DownResult, Reply, Request, UpResult } from "../protocol.ts";
import type { StackConfig } from "../config/types.ts";
import type { ConfigWarning } from "../config/formats/load.ts";
import type { FormatName } from "../config/formats/draft.ts";
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

/**
 * Result of `up`; `ok` is false when a process failed or was not started;
 * `warnings` are what the config's import could not map.
 */
export type UpOutcome = UpResult & { ok: boolean; warnings: ConfigWarning[] };

/** A loaded config and the context it runs in (its `session:` applies unless one was chosen). */
export interface Stack {
  config: StackConfig;
  ctx: OpContext;
  /** The config file's format (a Procfile, a package.json, ... is imported). */
  format: FormatName;
  /** What the import could not map, each with its file and line. */
  warnings: ConfigWarning[];
  /** For a package.json: the processes of the named scripts (the names were script names). */
  select: string[] | null;
}

/**
 * Loads the config for `up`/`down` (any supported format), or throws a
 * one-line `file:line:col` error. `names` are the scripts of a package.json.
 */
export async function loadStack(
  configOpt: string | undefined,
  ctx: OpContext,
  names: string[] = [],
): Promise<Stack> {
  const given = configOpt === undefined ? undefined : resolvePath(ctx.cwd, configOpt);
  const path = given ?? ctx.session.configPath ?? findConfig(ctx.cwd);
  if (!path) {
    throw new CliError(`no agent-procs.yaml found in ${ctx.cwd} or its parents`, {
      hint: "run `agent-procs init` (from a Procfile, process-compose.yaml or package.json), " +
        "write one (see README), or pass --config PATH",
    });
  }
  const { formatConfigError } = await import("../config/load.ts");
  const { loadAnyConfig } = await import("../config/formats/load.ts");
  const res = await loadAnyConfig(path, ctx.env, names);
  if (!res.ok) throw new CliError(formatConfigError(res.error));
  const { config, format, warnings } = res;
  const select = format === "package.json" || format === "deno.json"
    ? config.processes.map((p) => p.name)
    : null;
  const source = ctx.session.source;
  const base = { config, format, warnings, select };
  if (config.session && (source === "default" || source === "config")) {
    return { ...base, ctx: withSession(ctx, config.session) };
  }
  return { ...base, ctx };
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
  /** The idle TTL to give the session first (`--ttl`, `AGENT_PROCS_TTL`), if any. */
  ttlMs?: number;
}

/** Loads and checks everything `up` needs; nothing starts yet. */
export async function planUp(input: UpInput, ctx: OpContext): Promise<UpPlan> {
  const ttlMs = resolveTtl(input.ttl, ctx.env);
  const stack = await loadStack(input.config, ctx, input.names);
  const names = stack.select ?? input.names;
  const request = await upRequest({ ...input, names }, stack.config);
  // --ttl, then AGENT_PROCS_TTL, then the config's idle_ttl.
  const ttl = ttlMs ?? stack.config.idleTtlMs ?? undefined;
  return ttl === undefined ? { stack, request } : { stack, request, ttlMs: ttl };
}

/** Runs a planned `up`, reporting each step to `onEvent`; null when `ctx.signal` aborted it. */
export async function runUp(
  plan: UpPlan,
  onEvent: (e: UpEvent) => void,
): Promise<UpOutcome | null> {
  const { ctx } = plan.stack;
  if (plan.ttlMs !== undefined) await sendTtl(ctx, plan.ttlMs);
  try {
    const r = await request(ctx.paths, plan.request, {
      ...reqOpts(ctx, { autostart: true, timeoutMs: 0, cancellable: true }),
      onMessage: (m) => {
        if (m.type === "progress" || m.type === "note") onEvent(m);
      },
    });
    const ok = r.failed.length === 0 && r.blocked.length === 0;
    return { ...r, ok, warnings: plan.stack.warnings };
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
  // A package.json: every script, so whatever `up` started from it is stopped.
  const stack = await loadStack(input.config, ctx, ["*"]);
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
