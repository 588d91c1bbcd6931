/**
 * `logs [name]`: a process's output from the log files (no daemon needed):
 * tail, grep with context, since, timestamps, JSON lines; `--all` interleaves
 * in time order; `--follow` then streams new lines from the daemon until
 * `--timeout`, `--lines`, or the process has ended for good.
 */

import { bool, type CommandContext, int, seconds, str } from "../context.ts";
import { CliError, notFound } from "../../errors.ts";
import { processLogDir } from "../../paths.ts";
import type { ProcessInfo } from "../../model.ts";
import { type LogEntry, logExists, type LogQuery, queryLogs, readLogs } from "../../logs/reader.ts";
import { compilePattern, type LineMatcher, parseSince } from "../../logs/pattern.ts";
import {
  formatJson,
  formatText,
  mergeGroupsByTime,
  type NamedEntry,
  nameEntries,
} from "../../logs/output.ts";
import { NoDaemon, request } from "../../client/connect.ts";
import { fetchStatus } from "./status.ts";

type Stream = "stdout" | "stderr";

/** What a `logs` call reads: processes, streams, the query and the follow filter. */
export interface Plan {
  names: string[];
  streams: Stream[];
  query: Omit<LogQuery, "streams">;
  matcher: LineMatcher | null;
  prefix: boolean;
}

async function plan(ctx: CommandContext): Promise<Plan> {
  const all = bool(ctx, "all");
  const target = ctx.args[0];
  if (!target && !all) {
    throw new CliError("logs needs a process name or --all", {
      hint: "agent-procs logs web --tail 50",
    });
  }
  const grep = str(ctx, "grep");
  const context = str(ctx, "context") === undefined ? undefined : int(ctx, "context", 0);
  if (context !== undefined && grep === undefined) throw new CliError("--context needs --grep");
  if (bool(ctx, "regex") && grep === undefined) throw new CliError("--regex needs --grep");
  let matcher: LineMatcher | null = null;
  if (grep !== undefined) {
    const c = compilePattern(grep, { regex: bool(ctx, "regex") });
    if (!c.ok) throw new CliError(c.error);
    matcher = c.matcher;
  }
  const sinceSpec = str(ctx, "since");
  const since = sinceSpec === undefined ? null : parseSince(sinceSpec, Date.now());
  if (since?.kind === "error") throw new CliError(since.message);
  const streams: Stream[] = bool(ctx, "stderr")
    ? ["stderr"]
    : all
    ? ["stdout", "stderr"]
    : ["stdout"];
  let names: string[];
  let procs: ProcessInfo[] | null = null;
  const needStatus = !target || since?.kind === "restart" || since?.kind === "start" ||
    !logExists(processLogDir(ctx.paths, target));
  if (needStatus) procs = await fetchStatus(ctx);
  if (target) {
    const p = procs?.find((r) => r.name === target || r.id === target);
    const name = p?.name ?? target;
    if (!logExists(processLogDir(ctx.paths, name))) throw notFound(`no logs for ${target}`);
    names = [name];
  } else {
    names = (procs ?? []).map((p) => p.name).filter((n) => logExists(processLogDir(ctx.paths, n)));
  }
  const query: Omit<LogQuery, "streams"> = {
    tail: int(ctx, "tail", 100),
    grep: grep === undefined ? undefined : { pattern: grep, regex: bool(ctx, "regex") },
    context,
  };
  if (since?.kind === "time") query.sinceMs = since.ms;
  if (since?.kind === "restart" || since?.kind === "start") {
    const p = procs?.find((r) => r.name === names[0]);
    if (p) query.minGeneration = since.kind === "restart" ? p.generation : p.run_generation;
  }
  return { names, streams, query, matcher, prefix: !target };
}

function emit(ctx: CommandContext, e: NamedEntry, prefix: boolean): void {
  if (ctx.json) {
    const j = formatJson(e);
    if (j !== null) ctx.out(j);
    return;
  }
  ctx.out(formatText(e, { prefixName: prefix, timestamps: bool(ctx, "timestamps") }));
}

function lastSeq(dir: string): number {
  const l = readLogs(dir, { streams: ["stdout", "stderr"], tail: 1 });
  return l.length ? l[0].seq : 0;
}

/** The entries `logs` prints before any `--follow` (tail, grep, since, context, `--all`). */
export async function collectLogs(
  ctx: CommandContext,
): Promise<{ plan: Plan; entries: NamedEntry[] }> {
  const p = await plan(ctx);
  const per: { name: string; entries: LogEntry[] }[] = p.names.map((name) => ({
    name,
    entries: queryLogs(processLogDir(ctx.paths, name), { ...p.query, streams: p.streams }),
  }));
  let entries: NamedEntry[];
  if (per.length === 1) entries = nameEntries(per[0].name, per[0].entries);
  else {
    entries = mergeGroupsByTime(per);
    const tail = p.query.tail;
    if (tail !== undefined && p.query.context === undefined) {
      const lines = entries.filter((e) => e.kind === "line");
      entries = lines.slice(Math.max(0, lines.length - tail));
    }
  }
  return { plan: p, entries };
}

/** Runs `logs`. */
export async function run(ctx: CommandContext): Promise<number> {
  const { plan: p, entries } = await collectLogs(ctx);
  for (const e of entries) emit(ctx, e, p.prefix);
  if (!bool(ctx, "follow")) return 0;
  return await follow(ctx, p);
}

async function follow(ctx: CommandContext, p: Plan): Promise<number> {
  const after: Record<string, number> = {};
  for (const n of p.names) after[n] = lastSeq(processLogDir(ctx.paths, n));
  const limit = str(ctx, "lines") === undefined ? null : int(ctx, "lines", 0);
  const timeoutMs = seconds(ctx, "timeout", 30_000);
  const ac = new AbortController();
  let count = 0;
  const timer = timeoutMs > 0 ? setTimeout(() => ac.abort(), timeoutMs) : undefined;
  try {
    if (limit === 0) return 0;
    await request(ctx.paths, {
      type: "follow",
      targets: p.prefix ? [] : p.names,
      all: p.prefix,
      streams: p.streams,
      afterSeq: after,
    }, {
      autostart: false,
      timeoutMs: 0,
      signal: ac.signal,
      onMessage: (m) => {
        if (m.type !== "lines" || ac.signal.aborted) return;
        for (const line of m.lines) {
          if (p.matcher && !p.matcher.test(line.text)) continue;
          emit(ctx, { kind: "line", process: m.process, line, context: false }, p.prefix);
          if (limit !== null && ++count >= limit) {
            ac.abort();
            return;
          }
        }
      },
    });
  } catch (e) {
    if (!(e instanceof NoDaemon)) throw e;
  } finally {
    clearTimeout(timer);
  }
  return 0;
}
