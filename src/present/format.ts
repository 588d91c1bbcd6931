/** Output formatting shared by the presenters: the status table, process lines, durations. */

import type { ProcessInfo } from "../model.ts";
import { promptHint } from "../digest/prompt_text.ts";

/** `5s`, `3m12s`, `2h03m`, `4d02h`. */
export function formatUptime(secs: number | null): string {
  if (secs === null) return "-";
  if (secs < 60) return `${secs}s`;
  if (secs < 3600) return `${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, "0")}s`;
  if (secs < 86400) {
    return `${Math.floor(secs / 3600)}h${String(Math.floor(secs / 60) % 60).padStart(2, "0")}m`;
  }
  return `${Math.floor(secs / 86400)}d${String(Math.floor(secs / 3600) % 24).padStart(2, "0")}h`;
}

/** The EXIT cell: code, signal name, or `-`. */
export function formatExit(p: ProcessInfo): string {
  if (p.signal) return p.signal;
  return p.exit_code === null ? "-" : String(p.exit_code);
}

/** `NAME (id: ID, pid: PID[, URL])`. */
export function processLine(p: ProcessInfo): string {
  const url = p.url ? `, ${p.url}` : "";
  return `${p.name} (id: ${p.id}, pid: ${p.pid ?? "-"}${url})`;
}

/** Renders rows as left-aligned columns separated by two spaces. */
export function renderTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [line(header), ...rows.map(line)];
}

/** `512K`, `12.3M`, `1.2G` for a byte count, `-` for null. */
export function formatBytes(n: number | null): string {
  if (n === null) return "-";
  if (n < 1024 * 1024) return `${Math.round(n / 1024)}K`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)}M`;
  return `${(n / 1024 ** 3).toFixed(1)}G`;
}

/** `12.5%` for a CPU share, `-` for null. */
export function formatCpu(pct: number | null): string {
  return pct === null ? "-" : `${pct.toFixed(1)}%`;
}

/** The URL cell: the proxy URL, else `:PORT` (the first listening port), else `-`. */
export function urlCell(p: ProcessInfo): string {
  return p.url ?? (p.listening?.length ? `:${p.listening[0]}` : "-");
}

/**
 * The status table: fixed columns, then columns that appear only when some
 * row uses them; `resources` adds CPU and MEM.
 */
export function statusTable(procs: ProcessInfo[], resources = false): string[] {
  const cols: { h: string; cell: (p: ProcessInfo) => string; show: boolean }[] = [
    { h: "NAME", cell: (p) => p.name, show: true },
    { h: "PID", cell: (p) => (p.pid === null ? "-" : String(p.pid)), show: true },
    {
      h: "STATE",
      cell: (p) => (p.crash_loop ? "crashloop" : p.awaiting_input ? "input?" : p.state),
      show: true,
    },
    { h: "EXIT", cell: formatExit, show: true },
    {
      h: "RESTARTS",
      cell: (
        p,
      ) => (p.max_restarts === null
        ? String(p.restart_count)
        : `${p.restart_count}/${p.max_restarts}`),
      show: procs.some((p) => p.restart_policy !== "never" || p.restart_count > 0),
    },
    {
      h: "WATCH",
      cell: (p) => (p.watch_error ? "error" : p.watched ? "yes" : "-"),
      show: procs.some((p) => p.watched),
    },
    { h: "URL", cell: urlCell, show: procs.some((p) => urlCell(p) !== "-") },
    { h: "CPU", cell: (p) => formatCpu(p.cpu_percent), show: resources },
    { h: "MEM", cell: (p) => formatBytes(p.rss_bytes), show: resources },
    {
      h: "READY",
      cell: (p) => (p.ready === null ? "-" : p.ready ? "yes" : "no"),
      show: procs.some((p) => p.ready !== null),
    },
    {
      h: "UPTIME",
      cell: (p) =>
        p.state === "restarting" && p.next_restart_at
          ? `restart in ${
            Math.max(0, Math.ceil((Date.parse(p.next_restart_at) - Date.now()) / 1000))
          }s`
          : formatUptime(p.uptime_secs),
      show: true,
    },
  ];
  const shown = cols.filter((c) => c.show);
  return renderTable(shown.map((c) => c.h), procs.map((p) => shown.map((c) => c.cell(p))));
}

/** `5s ago`, `3m12s ago` for an ISO time before `now`. */
export function ago(iso: string, now = Date.now()): string {
  return `${formatUptime(Math.max(0, Math.floor((now - Date.parse(iso)) / 1000)))} ago`;
}

/** The `status NAME` block of a process waiting at a prompt: the question and what to do. */
export function promptBlock(p: ProcessInfo, now = Date.now()): string[] {
  const a = p.awaiting_input;
  if (!a) return [];
  return [
    `${p.name} is waiting for input (since ${ago(a.since, now)}): ${JSON.stringify(a.prompt)}`,
    `  hint: ${promptHint(p.name, p.stdin === "pipe")}`,
  ];
}

/** The `status NAME` block of a last failure: a heading, the digest indented, the hint. */
export function failureBlock(p: ProcessInfo, now = Date.now()): string[] {
  const f = p.last_failure;
  if (!f) return [];
  const how = f.signal
    ? `signal ${f.signal}`
    : f.exit_code !== null
    ? `exit ${f.exit_code}`
    : f.reason;
  const what = f.reason === "exited" || f.reason === "signal" ? how : `${f.reason}, ${how}`;
  return [
    `last failure of ${p.name} (${what}, ${ago(f.at, now)}):`,
    ...f.excerpt.split("\n").map((l) => `  ${l}`),
    ...(f.hint ? [`  ${f.hint}`] : []),
  ];
}

/**
 * `status`: the table, or `no processes`; with `failures` (when processes
 * were named), each one's last failure after the table.
 */
export function statusText(procs: ProcessInfo[], failures = false, resources = false): string[] {
  if (procs.length === 0) return ["no processes"];
  const blocks = failures ? procs.flatMap((p) => [...promptBlock(p), ...failureBlock(p)]) : [];
  return [...statusTable(procs, resources), ...(blocks.length ? ["", ...blocks] : [])];
}

/** A line of output and where the CLI writes it. */
export interface OutLine {
  text: string;
  stderr: boolean;
}

/**
 * `run`: the process line (with notes first, on stderr); with `--ensure`,
 * `NAME already running (...)` or `NAME restarted with a new spec (...)`.
 */
export function runLines(
  process: ProcessInfo,
  notes: string[],
  outcome: "kept" | "restarted" | "started" = "started",
): OutLine[] {
  const line = processLine(process);
  const what = outcome === "kept"
    ? " already running"
    : outcome === "restarted"
    ? " restarted with a new spec"
    : "";
  return [
    ...notes.map((text) => ({ text, stderr: true })),
    { text: `${process.name}${what}${line.slice(process.name.length)}`, stderr: false },
  ];
}
