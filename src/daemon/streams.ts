/**
 * Streaming requests: `follow` (new log lines of one or all processes, after
 * a catch-up from disk so nothing is missed between the CLI's own read and the
 * subscription) and `subscribe` (status table plus all lines, for the TUI).
 */

import type { Request } from "../protocol.ts";
import type { ConnContext } from "./server.ts";
import type { DaemonContext } from "./context.ts";
import { readLogs } from "../logs/reader.ts";
import type { LogLine } from "../logs/writer.ts";
import { processLogDir } from "../paths.ts";
import { isEndedForGood, isLive } from "./lifecycle.ts";

/**
 * Most lines a follow catches up from disk. The client read the files just before, so the gap is
 * small, except during a flood, where decoding millions of lines would stall the daemon: then the
 * follower gets the newest lines of the gap and live lines from there.
 */
const CATCH_UP_LINES = 10_000;

/** Streams log lines until the followed processes have ended for good or the client leaves. */
export async function followLogs(
  daemon: DaemonContext,
  req: Extract<Request, { type: "follow" }>,
  ctx: ConnContext<"follow">,
): Promise<void> {
  const { sup } = daemon;
  const names = req.all ? sup.list().map((r) => r.spec.name) : [];
  if (!req.all) {
    for (const t of req.targets) {
      const r = sup.resolve(t);
      if (!r) return ctx.fail("not_found", `no process named ${t}`);
      names.push(r.spec.name);
    }
  }
  const wanted = new Set(req.streams);
  const last = new Map<string, number>();
  for (const n of names) last.set(n, req.afterSeq[n] ?? -1);
  const emit = (name: string, lines: LogLine[]) => {
    if (!req.all && !last.has(name)) return;
    const floor = last.get(name) ?? -1;
    const out = lines.filter((l) => l.seq > floor && wanted.has(l.stream));
    if (lines.length) last.set(name, Math.max(floor, lines[lines.length - 1].seq));
    if (out.length) ctx.send({ type: "lines", process: name, lines: out });
  };
  const finished = () => {
    const recs = req.all ? sup.list() : names.map((n) => sup.get(n));
    return recs.every((r) => !r || isEndedForGood(r.phase));
  };
  const offLines = sup.onLines(req.all ? null : names.length === 1 ? names[0] : null, emit);
  try {
    // Catch up from disk (a missing log reads as no lines); live lines then follow in order.
    for (const n of names) {
      emit(
        n,
        readLogs(processLogDir(daemon.paths, n), {
          streams: req.streams,
          afterSeq: last.get(n),
          tail: CATCH_UP_LINES,
        }),
      );
    }
    const ended = await sup.until(() => finished() || undefined, { signal: ctx.signal });
    if (ended.ok) ctx.reply(null);
  } finally {
    offLines();
  }
}

/** How often (at most) a subscriber hears about new output (ms). */
const ACTIVITY_MS = 50;

/**
 * Streams the status table on every change and, at most every 50 ms, which
 * processes have new output (their next sequence numbers), until the client
 * leaves. Lines themselves are read from disk by the client: the daemon never
 * decodes or re-sends a flood.
 */
export function subscribe(daemon: DaemonContext, ctx: ConnContext<"subscribe">): Promise<void> {
  const { sup } = daemon;
  let statusQueued = false;
  const sendStatus = () => {
    statusQueued = false;
    ctx.send({ type: "status", processes: sup.infos() });
  };
  sendStatus();
  const dirty = new Set<string>();
  let activityTimer: ReturnType<typeof setTimeout> | undefined;
  const flushActivity = () => {
    activityTimer = undefined;
    const seqs: Record<string, number> = {};
    for (const n of dirty) seqs[n] = sup.nextSeq(n);
    dirty.clear();
    ctx.send({ type: "activity", seqs });
  };
  return new Promise((resolve) => {
    const offActivity = sup.onActivity((name) => {
      dirty.add(name);
      activityTimer ??= setTimeout(flushActivity, ACTIVITY_MS);
    });
    const offChange = sup.onChange(() => {
      if (statusQueued) return;
      statusQueued = true;
      setTimeout(sendStatus, 0);
    });
    // Uptime changes without events: refresh the table once a second only while something runs.
    const tick = setInterval(() => {
      if (sup.list().some((r) => isLive(r.phase))) sendStatus();
    }, 1000);
    ctx.signal.addEventListener("abort", () => {
      offActivity();
      offChange();
      clearInterval(tick);
      clearTimeout(activityTimer);
      resolve();
    }, { once: true });
  });
}
