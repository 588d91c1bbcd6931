/**
 * `run <cmd>`: start a process in the session's daemon with the caller's cwd
 * and environment. With `--ready PAT` it returns only once a line contains PAT.
 */

import { bool, type CommandContext, int, list, seconds, str } from "../context.ts";
import type { ProcessInfo, ProcessSpec, RestartPolicy } from "../../model.ts";
import { RESTART_POLICIES } from "../../model.ts";
import { CliError } from "../../errors.ts";
import { request } from "../../client/connect.ts";
import { processLine } from "../format.ts";
import { loadEnvFile } from "../envfile.ts";
import { commandFromArgs } from "../shellwords.ts";
import type { WaitResult } from "../../protocol.ts";

function resolveDir(base: string, p: string): string {
  return p.startsWith("/") ? p : `${base}/${p}`.replace(/\/\.$/, "");
}

function parsePort(v: string | undefined): number | null {
  if (v === undefined) return null;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 65535) {
    throw new CliError(`--port expects 1-65535, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** Builds the process spec from the command line. */
export function buildSpec(ctx: CommandContext): ProcessSpec {
  const cmd = commandFromArgs(ctx.args);
  if (!cmd.trim()) throw new CliError("run: the command is empty");
  const cwd = resolveDir(Deno.cwd(), str(ctx, "cwd") ?? ".");
  try {
    if (!Deno.statSync(cwd).isDirectory) throw new CliError(`--cwd ${cwd} is not a directory`);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`--cwd ${cwd} does not exist`);
  }
  const env = Deno.env.toObject();
  const port = parsePort(str(ctx, "port"));
  const userEnv: Record<string, string> = {};
  const envFile = str(ctx, "env-file");
  if (envFile) Object.assign(userEnv, loadEnvFile(resolveDir(Deno.cwd(), envFile)));
  for (const kv of list(ctx, "env")) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new CliError(`--env expects K=V, got ${JSON.stringify(kv)}`);
    userEnv[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  if (port !== null) {
    env.PORT = String(port);
    env.HOST = "127.0.0.1";
  }
  Object.assign(env, userEnv);
  const policy = str(ctx, "autorestart") ?? "never";
  if (!RESTART_POLICIES.includes(policy as RestartPolicy)) {
    throw new CliError(
      `--autorestart expects always, on-failure or never, got ${JSON.stringify(policy)}`,
    );
  }
  const maxRestarts = str(ctx, "max-restarts") === undefined ? null : int(ctx, "max-restarts", 0);
  return {
    name: str(ctx, "name") ?? "",
    cmd,
    cwd,
    env,
    userEnv,
    port,
    proxy: bool(ctx, "proxy"),
    autorestart: policy as RestartPolicy,
    maxRestarts,
    restartDelayMs: int(ctx, "restart-delay", 1000),
    watch: list(ctx, "watch"),
    watchIgnore: list(ctx, "watch-ignore"),
    ready: null,
    readyTimeoutMs: 30_000,
    stopSignal: "SIGTERM",
    stopTimeoutMs: 10_000,
    dependsOn: [],
    configPath: null,
  };
}

/** What `run` started: the process row and the daemon's notes (e.g. the proxy URL). */
export interface Started {
  info: ProcessInfo;
  notes: string[];
}

/** Starts `spec` in the session's daemon, starting the daemon if none runs. */
export async function startProcess(ctx: CommandContext, spec: ProcessSpec): Promise<Started> {
  const notes: string[] = [];
  const info = await request(ctx.paths, { type: "run", spec }, {
    autostart: true,
    timeoutMs: 30_000,
    onMessage: (m) => {
      if (m.type === "note") notes.push(m.text);
    },
  }) as ProcessInfo;
  return { info, notes };
}

/**
 * Waits until `name` prints a line containing `ready` (`run --ready`). Throws
 * the CLI's error, with the last log lines, on timeout or an early exit.
 * Returns false when `signal` aborted the wait, true once the line was seen.
 */
export async function awaitReady(
  ctx: CommandContext,
  name: string,
  ready: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    const r = await request(ctx.paths, {
      type: "wait",
      target: name,
      condition: { kind: "until", pattern: ready, regex: false },
      timeoutMs,
    }, {
      autostart: false,
      timeoutMs: timeoutMs === 0 ? 0 : timeoutMs + 5000,
      signal,
    }) as WaitResult | null;
    return r !== null;
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    const details = e.details.length ? e.details : await lastLogLines(ctx, name);
    const what = e.message === "timeout"
      ? `${name} did not print ${JSON.stringify(ready)} within ${timeoutMs / 1000}s`
      : e.message;
    throw new CliError(what, { details: details.length ? ["last lines:", ...details] : [] });
  }
}

/** Runs `run`. */
export async function run(ctx: CommandContext): Promise<number> {
  const spec = buildSpec(ctx);
  const ready = str(ctx, "ready");
  const timeoutMs = seconds(ctx, "timeout", 30_000);
  const { info, notes } = await startProcess(ctx, spec);
  for (const n of notes) ctx.err(n);
  if (ready === undefined) {
    ctx.out(ctx.json ? JSON.stringify(info) : processLine(info));
    return 0;
  }
  if (!ctx.json) ctx.out(processLine(info));
  await awaitReady(ctx, info.name, ready, timeoutMs);
  if (ctx.json) ctx.out(JSON.stringify({ ...info, ready: true }));
  return 0;
}

async function lastLogLines(ctx: CommandContext, name: string): Promise<string[]> {
  const { tailText } = await import("../logtext.ts");
  return tailText(ctx.paths, name, 10);
}
