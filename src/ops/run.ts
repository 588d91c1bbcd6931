/**
 * `run`: start a process in the session's daemon (starting the daemon if
 * needed) with the caller's cwd and environment; with `ready`, return only
 * once a line of its output contains that text.
 */

import type { ProcessInfo, ProcessSpec } from "../model.ts";
import { defaultSpec, SPEC_DEFAULTS } from "../model.ts";
import { CliError } from "../errors.ts";
import { request } from "../client/connect.ts";
import type { EnsureOutcome } from "../protocol.ts";
import { loadEnvFile } from "./envfile.ts";
import { type OpContext, reqOpts } from "./context.ts";
import type { OptionValues } from "./convert.ts";
import type { RUN_OPTIONS } from "./options.ts";
import { lazy } from "../lazy.ts";

/** Input of `run`: the shell command plus options. */
export type RunInput = { cmd: string } & OptionValues<typeof RUN_OPTIONS>;

/** Result of `run`. */
export interface RunResult {
  /** The process row right after it started. */
  process: ProcessInfo;
  /** What the daemon said on the way (e.g. where the proxy listens). */
  notes: string[];
  /** With `ready`: null once the line was seen, else why it never came (with last lines). */
  readyError: CliError | null;
  /** With `ensure`: whether it was kept, restarted with the new spec, or started. */
  outcome?: EnsureOutcome;
}

/** Resolves `p` against `base` and normalises `.` and `..`. */
export function resolvePath(base: string, p: string): string {
  const parts: string[] = [];
  for (const seg of (p.startsWith("/") ? p : `${base}/${p}`).split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

/** Builds the process spec of a `run` call (checks the cwd; reads the env file). */
export function runSpec(input: RunInput, ctx: OpContext): ProcessSpec {
  if (!input.cmd.trim()) throw new CliError("run: the command is empty");
  if (input.ready !== undefined && input.readyListen) {
    throw new CliError("run: use either --ready PAT or --ready-listen, not both");
  }
  const cwd = resolvePath(ctx.cwd, input.cwd ?? ".");
  let isDir: boolean;
  try {
    isDir = Deno.statSync(cwd).isDirectory;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new CliError(`--cwd ${cwd} does not exist`);
    throw e;
  }
  if (!isDir) throw new CliError(`--cwd ${cwd} is not a directory`);
  const userEnv: Record<string, string> = {};
  if (input.envFile) Object.assign(userEnv, loadEnvFile(resolvePath(ctx.cwd, input.envFile)));
  Object.assign(userEnv, input.env ?? {});
  const env = { ...ctx.env };
  const port = input.port ?? null;
  if (port !== null) {
    env.PORT = String(port);
    env.HOST = "127.0.0.1";
  }
  Object.assign(env, userEnv);
  return defaultSpec({ name: input.name ?? "", cmd: input.cmd, cwd }, {
    env,
    userEnv,
    port,
    proxy: input.proxy === true || input.browserLogs === true,
    browserLogs: input.browserLogs === true,
    autorestart: input.autorestart ?? SPEC_DEFAULTS.autorestart,
    maxRestarts: input.maxRestarts ?? null,
    restartDelayMs: input.restartDelayMs ?? SPEC_DEFAULTS.restartDelayMs,
    watch: input.watch ?? [],
    watchIgnore: input.watchIgnore ?? [],
    ...(input.readyListen
      ? {
        ready: { kind: "listen" as const },
        readyTimeoutMs: input.timeoutMs ?? SPEC_DEFAULTS.readyTimeoutMs,
      }
      : {}),
    stdin: input.stdin === true ? "pipe" : "null",
  });
}

/**
 * Waits until `name` is ready: prints a line containing `ready`, or, with
 * null, passes its own readiness check (`--ready-listen`). Returns null once
 * ready, the error (with the last log lines) on a timeout or an early exit,
 * and undefined when `ctx.signal` aborted the wait.
 */
export async function awaitReady(
  ctx: OpContext,
  name: string,
  ready: string | null,
  timeoutMs: number,
): Promise<CliError | null | undefined> {
  try {
    // Loaded here: `run` without `--ready` stays small.
    const { waitLive } = await lazy("ops/wait.ts");
    const condition = ready === null
      ? { kind: "ready" as const }
      : { kind: "until" as const, pattern: ready, regex: false };
    const r = await waitLive(ctx, name, condition, timeoutMs);
    return r === null ? undefined : null;
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    const { tailText } = await lazy("ops/log_text.ts");
    const details = e.details.length ? e.details : tailText(ctx.paths, name, 10);
    const what = e.message !== "timeout"
      ? e.message
      : ready === null
      ? `${name} did not listen within ${timeoutMs / 1000}s`
      : `${name} did not print ${JSON.stringify(ready)} within ${timeoutMs / 1000}s`;
    return new CliError(what, {
      details: details.length ? ["last lines:", ...details] : [],
      hint: e.hint ?? undefined,
    });
  }
}

/** Starts a process; null only when `ctx.signal` aborted the readiness wait. */
export async function run(input: RunInput, ctx: OpContext): Promise<RunResult | null> {
  const spec = runSpec(input, ctx);
  // The TTL module loads only when a TTL is asked for: the hot path stays small.
  const ttlMod = input.ttl !== undefined || ctx.env.AGENT_PROCS_TTL
    ? await lazy("ops/ttl.ts")
    : null;
  const ttl = ttlMod?.resolveTtl(input.ttl, ctx.env);
  const notes: string[] = [];
  const opts = {
    ...reqOpts(ctx, { autostart: true, timeoutMs: 30_000 }),
    onMessage: (m: { type: string; text?: string }) => {
      if (m.type === "note" && m.text !== undefined) notes.push(m.text);
    },
  };
  let process: ProcessInfo;
  let outcome: EnsureOutcome | undefined;
  if (input.ensure) {
    if (!spec.name) throw new CliError("run --ensure needs --name (the process to reuse)");
    ({ process, outcome } = await request(ctx.paths, { type: "ensure", spec }, opts));
  } else {
    process = await request(ctx.paths, { type: "run", spec }, opts);
  }
  if (ttlMod && ttl !== undefined) await ttlMod.sendTtl(ctx, ttl);
  const done = (readyError: CliError | null): RunResult =>
    outcome ? { process, notes, readyError, outcome } : { process, notes, readyError };
  const timeoutMs = input.timeoutMs ?? SPEC_DEFAULTS.readyTimeoutMs;
  if (input.readyListen) {
    const readyError = await awaitReady(ctx, process.name, null, timeoutMs);
    return readyError === undefined ? null : done(readyError);
  }
  if (input.ready === undefined) return done(null);
  const readyError = await awaitReady(ctx, process.name, input.ready, timeoutMs);
  if (readyError === undefined) return null;
  return done(readyError);
}
