/**
 * `logs`: a process's output from the log files (no daemon needed): tail,
 * grep with context, since; `all` interleaves every process in time order.
 * `followLogs` then streams new lines from the daemon.
 */

import { CliError, notFound } from "../errors.ts";
import { processLogDir } from "../paths.ts";
import type { ProcessInfo } from "../model.ts";
import { type LogEntry, logExists, type LogQuery, queryLogs } from "../logs/reader.ts";
import { STREAM_NAMES, type StreamName } from "../logs/index_format.ts";
import { compilePattern, type LineMatcher, parseSince } from "../logs/pattern.ts";
import { mergeGroupsByTime, type NamedEntry, nameEntries } from "../logs/output.ts";
import { Cancelled, NoDaemon, request } from "../client/connect.ts";
import { type OpContext, reqOpts } from "./context.ts";
import type { OptionValues } from "./convert.ts";
import type { LOGS_OPTIONS } from "./options.ts";
import { fetchStatus, isTarget } from "./status.ts";
import { lastSeq } from "./log_text.ts";

type Stream = StreamName;

/** Input of `logs`: a process (name or id) or `all`, plus options. */
export type LogsInput = { name?: string } & OptionValues<typeof LOGS_OPTIONS>;

/** Default number of lines. */
export const DEFAULT_TAIL = 100;

/** What a `logs` call reads: processes, streams, the query and the follow filter. */
export interface LogsPlan {
  names: string[];
  streams: Stream[];
  query: Omit<LogQuery, "streams">;
  matcher: LineMatcher | null;
  /** Several processes: lines carry their process name. */
  all: boolean;
}

/** Result of `logs`. */
export interface LogsResult {
  plan: LogsPlan;
  entries: NamedEntry[];
}

/** Checks the input and decides what to read (looks up status only when it must). */
export async function planLogs(input: LogsInput, ctx: OpContext): Promise<LogsPlan> {
  const all = input.all === true;
  const target = input.name;
  if (!target && !all) {
    throw new CliError("logs needs a process name or --all", {
      hint: "agent-procs logs web --tail 50",
    });
  }
  const grep = input.grep;
  if (input.context !== undefined && grep === undefined) {
    throw new CliError("--context needs --grep");
  }
  if (input.regex && grep === undefined) throw new CliError("--regex needs --grep");
  let matcher: LineMatcher | null = null;
  if (grep !== undefined) {
    const c = compilePattern(grep, { regex: input.regex === true });
    if (!c.ok) throw new CliError(c.error);
    matcher = c.matcher;
  }
  const since = input.since === undefined ? null : parseSince(input.since, Date.now());
  if (since?.kind === "error") throw new CliError(since.message);
  const streams = streamsOf(input, all || grep !== undefined);
  let procs: ProcessInfo[] | null = null;
  const byGeneration = since?.kind === "restart" || since?.kind === "start";
  if (!target || byGeneration || !logExists(processLogDir(ctx.paths, target))) {
    procs = await fetchStatus(ctx);
  }
  let names: string[];
  if (target) {
    const known = procs?.find((r) => isTarget(r, target));
    const name = known?.name ?? target;
    // A known process that has printed nothing yet has no log files (they come with its first
    // bytes): its log is empty, not missing.
    if (!known && !logExists(processLogDir(ctx.paths, name))) {
      throw notFound(`no logs for ${target}`);
    }
    names = [name];
  } else {
    names = (procs ?? []).map((p) => p.name).filter((n) => logExists(processLogDir(ctx.paths, n)));
  }
  const query: Omit<LogQuery, "streams"> = {
    tail: input.tail ?? DEFAULT_TAIL,
    grep: grep === undefined ? undefined : { pattern: grep, regex: input.regex === true },
    context: input.context,
  };
  if (since?.kind === "time") query.sinceMs = since.ms;
  if (since?.kind === "restart" || since?.kind === "start") {
    const p = procs?.find((r) => r.name === names[0]);
    if (p) query.minGeneration = since.kind === "restart" ? p.generation : p.run_generation;
  }
  return { names, streams, query, matcher, all: !target };
}

/**
 * The streams a `logs` call reads: the ones named by `--stderr`/`--browser`
 * (together, both), else every stream for `--all` or `--grep`, else stdout.
 */
export function streamsOf(
  flags: { stderr?: boolean; browser?: boolean },
  everything: boolean,
): Stream[] {
  const named: Stream[] = [];
  if (flags.stderr) named.push("stderr");
  if (flags.browser) named.push("browser");
  if (named.length) return named;
  return everything ? [...STREAM_NAMES] : ["stdout"];
}

/** Reads what `logs` shows (before any follow). */
export async function logs(input: LogsInput, ctx: OpContext): Promise<LogsResult> {
  const plan = await planLogs(input, ctx);
  const per: { name: string; entries: LogEntry[] }[] = plan.names.map((name) => ({
    name,
    entries: queryLogs(processLogDir(ctx.paths, name), { ...plan.query, streams: plan.streams }),
  }));
  let entries: NamedEntry[];
  if (per.length === 1) entries = nameEntries(per[0].name, per[0].entries);
  else {
    entries = mergeGroupsByTime(per);
    const tail = plan.query.tail;
    if (tail !== undefined && plan.query.context === undefined) {
      const lines = entries.filter((e) => e.kind === "line");
      entries = lines.slice(Math.max(0, lines.length - tail));
    }
  }
  return { plan, entries };
}

/** Limits of a follow. */
export interface FollowLimits {
  /** Stop after this many new lines (null: no limit). */
  lines: number | null;
  /** Stop after this long (ms; 0: no limit). */
  timeoutMs: number;
}

/**
 * Streams lines written after the files were read, to `onLine`, until the
 * followed processes end for good, the limits are reached, `ctx.signal`
 * aborts, or there is no daemon. Returns the number of lines delivered.
 */
export async function followLogs(
  plan: LogsPlan,
  ctx: OpContext,
  limits: FollowLimits,
  onLine: (e: NamedEntry) => void,
): Promise<number> {
  if (limits.lines === 0) return 0;
  const afterSeq: Record<string, number> = {};
  for (const n of plan.names) afterSeq[n] = lastSeq(ctx.paths, n);
  const ac = new AbortController();
  const stopOuter = () => ac.abort();
  ctx.signal?.addEventListener("abort", stopOuter, { once: true });
  const timer = limits.timeoutMs > 0 ? setTimeout(stopOuter, limits.timeoutMs) : undefined;
  let count = 0;
  try {
    await request(ctx.paths, {
      type: "follow",
      targets: plan.all ? [] : plan.names,
      all: plan.all,
      streams: plan.streams,
      afterSeq,
    }, {
      ...reqOpts(ctx, { autostart: false, timeoutMs: 0 }),
      signal: ac.signal,
      onMessage: (m) => {
        if (m.type !== "lines" || ac.signal.aborted) return;
        for (const line of m.lines) {
          if (plan.matcher && !plan.matcher.test(line.text)) continue;
          onLine({ kind: "line", process: m.process, line, context: false });
          if (limits.lines !== null && ++count >= limits.lines) return ac.abort();
        }
      },
    });
  } catch (e) {
    if (!(e instanceof NoDaemon || e instanceof Cancelled)) throw e;
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener("abort", stopOuter);
  }
  return count;
}
