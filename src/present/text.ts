/**
 * The text of each operation's result: the lines the CLI prints and the MCP
 * server returns as a tool's text, written once for both presenters. Pure
 * functions from typed results to lines; `stderr` marks lines the CLI writes
 * to stderr.
 */

import type { ProcessInfo } from "../model.ts";
import type { DownResult, SendResult } from "../protocol.ts";
import type { WaitOutcome } from "../ops/wait.ts";
import { eventText } from "../events/types.ts";
import type { RestartResult } from "../ops/restart.ts";
import type { UpEvent, UpOutcome } from "../ops/up.ts";
import type { CleanResult, SessionRow } from "../ops/sessions.ts";
import type { Settled } from "../ops/settle.ts";
import { failureBlock, processLine, promptBlock, renderTable, statusTable } from "./format.ts";
import type { InitResult } from "../ops/init.ts";
import type { ExportResult } from "../ops/export.ts";
import type { SetupAgentResult } from "../ops/setup_agent.ts";
import { shortPath } from "../config/paths.ts";
import { type ConfigWarning, formatWarning } from "../config/formats/format_warning.ts";

/** A line of output and where the CLI writes it. */
export interface OutLine {
  text: string;
  stderr: boolean;
}

const out = (text: string): OutLine => ({ text, stderr: false });
const err = (text: string): OutLine => ({ text, stderr: true });

/**
 * `status`: the table, or `no processes`; with `failures` (when processes
 * were named), each one's last failure after the table.
 */
export function statusText(procs: ProcessInfo[], failures = false): string[] {
  if (procs.length === 0) return ["no processes"];
  const blocks = failures ? procs.flatMap((p) => [...promptBlock(p), ...failureBlock(p)]) : [];
  return [...statusTable(procs), ...(blocks.length ? ["", ...blocks] : [])];
}

/** `run`: the process line (with notes first, on stderr). */
export function runLines(process: ProcessInfo, notes: string[]): OutLine[] {
  return [...notes.map(err), out(processLine(process))];
}

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

/** `wait`: the matched line, `NAME is ready`, the event, or how it exited. */
export function waitText(name: string, r: WaitOutcome): string {
  if (r.kind === "event") return eventText(r.event);
  if (r.kind === "matched") return r.line.text;
  if (r.kind === "ready") return `${name} is ready`;
  if (r.signal) return `exited with signal ${r.signal}`;
  return `exited with code ${r.exitCode ?? "unknown"}`;
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
  if (r.cleaned.length === 0) return ["nothing to clean"];
  return r.cleaned.map((s) => `cleaned ${s}${r.purged ? " (logs purged)" : ""}`);
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

/** What an imported config could not map: `warning: FILE:LINE: ...` lines on stderr. */
export function configWarningLines(warnings: ConfigWarning[], cwd: string): OutLine[] {
  return warnings.map((w) => err(`warning: ${formatWarning(w, cwd)}`));
}

/** `init`: the file's text (dry run) or what was written, after the warnings. */
export function initLines(r: InitResult, cwd: string): OutLine[] {
  const warnings = configWarningLines(r.warnings, cwd);
  if (!r.written) return [...warnings, ...r.text.replace(/\n$/, "").split("\n").map(out)];
  const what = `${r.replaced ? "replaced" : "wrote"} ${shortPath(r.path, cwd)}`;
  return [
    ...warnings,
    out(`${what} from ${shortPath(r.source, cwd)} (${r.processes.join(", ")})`),
  ];
}

/**
 * `export`: warnings on stderr, then `wrote PATH` per file, or the files'
 * text (one file as it is; several each after a `# ==> NAME <==` line).
 */
export function exportLines(r: ExportResult, cwd: string): OutLine[] {
  const lines = [
    ...configWarningLines(r.importWarnings, cwd),
    ...r.warnings.map((w) => err(`warning: ${w}`)),
  ];
  for (const f of r.files) {
    if (f.path) lines.push(out(`wrote ${shortPath(f.path, cwd)}`));
    else {
      if (r.files.length > 1) lines.push(out(`# ==> ${f.name} <==`));
      lines.push(...f.text.replace(/\n$/, "").split("\n").map(out));
    }
  }
  return lines;
}

/** `setup-agent`: one line per file (`created`, `updated`, `unchanged`; `would ...` on a dry run). */
export function setupAgentLines(r: SetupAgentResult): string[] {
  const verb = { create: "created", update: "updated", unchanged: "unchanged" } as const;
  const dry = { create: "would create", update: "would update", unchanged: "unchanged" } as const;
  return [
    `clients: ${r.clients.join(", ")}`,
    ...r.changes.map((c) => `${(r.dryRun ? dry : verb)[c.action]} ${c.path} (${c.what})`),
  ];
}
