/**
 * The TUI's backend over the real daemon: status and activity notices come
 * from a `subscribe` connection, CPU and memory from a `status` with
 * resources every 2 s while the UI is open; output lines are read from the log files
 * through the index (bounded to the UI's window per notice), and actions are
 * the same operations the CLI and the MCP server call.
 */

import type { UiBackend, UiEvent, UiLine } from "../tui/backend.ts";
import { processLogDir, type SessionPaths } from "../paths.ts";
import type { OpContext } from "../ops/context.ts";
import { restart } from "../ops/restart.ts";
import { stop } from "../ops/stop.ts";
import { send } from "../ops/send.ts";
import { queryLogs } from "../logs/reader.ts";
import { STREAM_NAMES } from "../logs/index_format.ts";
import type { LogLine } from "../logs/writer.ts";
import { request } from "../client/connect.ts";
import { messageOf } from "../errors.ts";
import { lastSeq } from "../ops/log_text.ts";
import type { ProcessInfo } from "../model.ts";

/** Most lines read for one process per activity notice (20 a second: more than anyone reads live; scrollback comes from history()). */
const WINDOW = 1000;

function toUi(l: LogLine): UiLine {
  return { seq: l.seq, ts: l.ts, stream: l.stream, text: l.text, annotation: l.annotation };
}

function read(
  paths: SessionPaths,
  name: string,
  q: { afterSeq?: number; tail?: number },
): UiLine[] {
  const lines: UiLine[] = [];
  for (const e of queryLogs(processLogDir(paths, name), { streams: [...STREAM_NAMES], ...q })) {
    if (e.kind === "line") lines.push(toUi(e.line));
  }
  return lines;
}

/** How often the UI asks for CPU and memory while it is open (the daemon samples when asked). */
const USAGE_EVERY_MS = 2000;

type Usage = Pick<ProcessInfo, "pid" | "cpu_percent" | "rss_bytes">;

/** Rows with the last sampled CPU and memory of the same incarnation (pid). */
function withUsage(rows: ProcessInfo[], usage: Map<string, Usage>): ProcessInfo[] {
  return rows.map((p) => {
    const u = usage.get(p.name);
    return u && p.pid !== null && u.pid === p.pid
      ? { ...p, cpu_percent: u.cpu_percent, rss_bytes: u.rss_bytes }
      : p;
  });
}

/** Creates the backend for a session. */
export function daemonBackend(ctx: OpContext): UiBackend {
  const { paths } = ctx;
  return {
    subscribe(onEvent: (e: UiEvent) => void) {
      const ac = new AbortController();
      const delivered = new Map<string, number>();
      const usage = new Map<string, Usage>();
      let rows: ProcessInfo[] = [];
      const poll = async () => {
        if (ac.signal.aborted || !rows.some((p) => p.pid !== null)) return;
        try {
          const sampled = await request(paths, { type: "status", resources: true }, {
            autostart: false,
            timeoutMs: 5000,
          });
          usage.clear();
          for (const p of sampled) usage.set(p.name, p);
          if (!ac.signal.aborted) onEvent({ kind: "status", processes: withUsage(rows, usage) });
        } catch {
          // The daemon went away: the subscription reports that.
        }
      };
      const timer = setInterval(() => void poll(), USAGE_EVERY_MS);
      ac.signal.addEventListener("abort", () => clearInterval(timer));
      const deliver = (name: string) => {
        try {
          const after = delivered.get(name) ?? 0;
          const lines = read(paths, name, { afterSeq: after, tail: WINDOW });
          if (lines.length) {
            delivered.set(name, lines[lines.length - 1].seq);
            onEvent({ kind: "lines", name, lines });
          }
        } catch {
          // the log vanished (process forgotten): nothing to show
        }
      };
      request(paths, { type: "subscribe" }, {
        autostart: false,
        timeoutMs: 0,
        signal: ac.signal,
        onMessage: (m) => {
          if (m.type === "status") {
            for (const p of m.processes) {
              if (!delivered.has(p.name)) {
                // Start after what exists now: the UI loads older lines through history().
                delivered.set(p.name, lastSeq(paths, p.name));
              }
            }
            rows = m.processes;
            onEvent({ kind: "status", processes: withUsage(rows, usage) });
          } else if (m.type === "activity") {
            for (const name of Object.keys(m.seqs)) deliver(name);
          }
        },
      }).then(
        () =>
          !ac.signal.aborted && onEvent({ kind: "closed", reason: "the daemon ended the session" }),
        (e) => !ac.signal.aborted && onEvent({ kind: "closed", reason: messageOf(e) }),
      );
      return { close: () => ac.abort() };
    },
    history(name, opts) {
      try {
        if (opts.beforeSeq === undefined) {
          return Promise.resolve(read(paths, name, { tail: opts.limit }));
        }
        const from = Math.max(0, opts.beforeSeq - 1 - opts.limit);
        const lines = read(paths, name, { afterSeq: from }).filter((l) => l.seq < opts.beforeSeq!);
        return Promise.resolve(lines.slice(-opts.limit));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    restart: async (name) => void await restart({ names: [name] }, ctx),
    stop: async (name) => void await stop({ names: [name] }, ctx),
    stopAll: async () => void await stop({ all: true }, ctx),
    send: async (name, text) => void await send({ name, text: [text] }, ctx),
  };
}
