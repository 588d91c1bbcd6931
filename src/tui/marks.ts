/**
 * How a process looks in the list: a state mark with its colour, and the
 * small suffix marks (exit code or signal, restart count, watch, readiness).
 */

import type { ProcessInfo } from "../model.ts";

/** A piece of text with its SGR style ("" for none). */
export interface Seg {
  text: string;
  sgr: string;
}

/** The state mark of a process: running, ready, exited 0, exited non-zero, failed, restarting... */
export function stateMark(p: ProcessInfo): Seg {
  switch (p.state) {
    case "running":
      if (p.ready === true) return { text: "●", sgr: "1;32" };
      if (p.ready === false) return { text: "◌", sgr: "33" };
      return { text: "●", sgr: "32" };
    case "stopping":
      return { text: "◍", sgr: "33" };
    case "restarting":
      return { text: "↻", sgr: "33" };
    case "exited":
      return p.exit_code === 0 ? { text: "○", sgr: "2" } : { text: "✗", sgr: "31" };
    case "stopped":
      return { text: "■", sgr: "2" };
    case "failed":
      return { text: "✗", sgr: "1;31" };
  }
}

/** A short word for the state, for the output pane's header (with the last failure's line). */
export function stateLabel(p: ProcessInfo): string {
  const base = stateWord(p);
  const why = p.awaiting_input
    ? JSON.stringify(p.awaiting_input.prompt)
    : p.last_failure && (p.crash_loop || p.state !== "running")
    ? p.last_failure.headline
    : "";
  return why ? `${base}: ${why}` : base;
}

function stateWord(p: ProcessInfo): string {
  if (p.crash_loop) return "crashloop";
  if (p.awaiting_input) return "input?";
  if (p.state === "running") {
    return p.ready === true ? "ready" : p.ready === false ? "starting" : "running";
  }
  if (p.state === "exited" || p.state === "failed") {
    const how = p.signal ? p.signal : p.exit_code !== null ? `exit ${p.exit_code}` : "";
    return how ? `${p.state} (${how})` : p.state;
  }
  return p.state;
}

/** Suffix marks after the name: exit code or signal, restarts, watch, ready. */
export function suffixMarks(p: ProcessInfo): Seg[] {
  const out: Seg[] = [];
  const ended = p.state === "exited" || p.state === "failed";
  if (ended && p.signal) out.push({ text: p.signal.replace(/^SIG/, ""), sgr: "31" });
  else if (ended && p.exit_code !== null && p.exit_code !== 0) {
    out.push({ text: String(p.exit_code), sgr: "31" });
  }
  if (p.restart_count > 0) out.push({ text: `↻${p.restart_count}`, sgr: "33" });
  if (p.crash_loop) out.push({ text: "loop", sgr: "1;31" });
  if (p.awaiting_input) out.push({ text: "input?", sgr: "1;35" });
  if (p.watched) out.push({ text: p.watch_error ? "w!" : "w", sgr: p.watch_error ? "31" : "36" });
  if (p.ready === true && p.state === "running") out.push({ text: "✓", sgr: "32" });
  return out;
}

const SHORT: Record<string, string> = {
  running: "run",
  restarting: "restart",
  exited: "exit",
  failed: "fail",
  stopped: "stop",
};

/** Counts for the status bar, e.g. "2 running · 1 failed" (short: "2 run · 1 fail"). */
export function counts(ps: ProcessInfo[], short = false): string {
  if (!ps.length) return "no processes";
  const n = { running: 0, restarting: 0, exited: 0, failed: 0, stopped: 0 };
  for (const p of ps) {
    if (p.state === "running" || p.state === "stopping") n.running++;
    else if (p.state === "restarting") n.restarting++;
    else if (p.state === "exited") n.exited++;
    else if (p.state === "failed") n.failed++;
    else n.stopped++;
  }
  return Object.entries(n)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${v} ${short ? SHORT[k] : k}`)
    .join(short ? " " : " · ");
}
