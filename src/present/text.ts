/**
 * The text of each operation's result: the lines the CLI prints and the MCP
 * server returns as a tool's text, written once for both presenters (the
 * status table is in `format.ts`, `wait`'s line in `wait_text.ts`, so those
 * hot commands load less). Pure
 * functions from typed results to lines; `stderr` marks lines the CLI writes
 * to stderr.
 */

import type { DownResult, SendResult } from "../protocol.ts";
import type { RestartResult } from "../ops/restart.ts";
import type { UpEvent, UpOutcome } from "../ops/up.ts";
import type { CleanResult, SessionRow } from "../ops/sessions.ts";
import type { Settled } from "../ops/settle.ts";
import { type OutLine, processLine, renderTable } from "./format.ts";

export type { OutLine } from "./format.ts";

const out = (text: string): OutLine => ({ text, stderr: false });
const err = (text: string): OutLine => ({ text, stderr: true });

/** `send`: what was written, and whether the stdin was closed. */
export function sentText(r: SendResult): string[] {
  const lines = r.bytes || !r.eof ? [`sent ${r.bytes} bytes to ${r.name}`] : [];
  return r.eof ? [...lines, `closed the stdin of ${r.name}`] : lines;
}

/** `stop` / `stop-all`. */
export function stopText(all: boolean, stopped: string[]): string[] {
  return all ? ["all processes stopped"] : stopped.map((n) => `stopped ${n}`);
}

/** `restart`: a line per process; one that did not stay up is an error line. */
export function restartLines(r: RestartResult): OutLine[] {
  return r.processes.map((p) =>
    p.state === "running"
      ? out(`restarted ${p.name} (id: ${p.id}, pid: ${p.pid})`)
      : err(`error: ${p.name} did not stay up (${p.state}, exit ${p.exit_code ?? p.signal ?? "-"})`)
  );
}

/** One message of a running `up` as plain lines. */
export function upEventLines(m: UpEvent): OutLine[] {
  if (m.type === "note") return [out(m.text)];
  switch (m.step) {
    case "started":
    case "restarted":
    case "unchanged":
      return m.info ? [out(`${m.step} ${processLine(m.info)}`)] : [];
    case "ready":
      return [out(`${m.name} is ready`)];
    case "failed":
      return [
        err(`error: ${m.message ?? `${m.name} failed`}`),
        ...(m.details.length ? [err(`  last lines of ${m.name}:`)] : []),
        ...m.details.map((l) => err(`    ${l}`)),
      ];
    case "blocked":
      return [err(`${m.name}: ${m.message ?? "not started"}`)];
    case "waiting":
      return [];
  }
}

/** The closing lines of `up`. */
export function upSummary(r: UpOutcome): OutLine[] {
  if (r.ok) return [out("all processes started")];
  return [
    ...(r.blocked.length ? [err(`error: not started: ${r.blocked.join(", ")}`)] : []),
    err(`error: failed: ${r.failed.join(", ")}`),
  ];
}

/** `down`. */
export function downText(res: DownResult): string[] {
  return [
    ...res.stopped.map((n) => `stopped ${n}`),
    res.forgotten.length ? "all config processes stopped" : "nothing to stop",
  ];
}

/** `session list`. */
export function sessionsText(rows: SessionRow[]): string[] {
  if (rows.length === 0) return ["no sessions"];
  return renderTable(
    ["SESSION", "DAEMON", "RUNNING", "TOTAL", "PROXY"],
    rows.map((r) => [
      r.session,
      r.daemon ? "running" : "-",
      String(r.running),
      String(r.total),
      r.proxy ?? "-",
    ]),
  );
}

/** `session clean`. */
export function cleanText(r: CleanResult): string[] {
  const orphans = (r.orphans ?? []).map((g) =>
    `stopped orphan group ${g.pgid} (${g.name} of session ${g.session})`
  );
  if (r.cleaned.length === 0 && orphans.length === 0) return ["nothing to clean"];
  return [...orphans, ...r.cleaned.map((s) => `cleaned ${s}${r.purged ? " (logs purged)" : ""}`)];
}

/** `wait --settle`: one verdict line per process, an error's digest indented under it. */
export function settleLines(results: Settled[]): OutLine[] {
  return results.flatMap((r) => {
    if (r.verdict === "error") {
      return [
        err(`${r.name} settled: error`),
        ...(r.excerpt ?? "").split("\n").filter(Boolean).map((l) => err(`  ${l}`)),
      ];
    }
    const up = r.uptime_secs === null ? r.state : `up ${r.uptime_secs}s`;
    const why = r.restarted && r.cause
      ? `; restarted (${r.cause.startsWith("watch: ") ? `${r.cause.slice(7)} changed` : r.cause})`
      : "";
    return [out(`${r.name} settled: ok (${up}${why})`)];
  });
}
