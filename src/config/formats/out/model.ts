/**
 * The neutral model `export` builds files from (pure): each process of a
 * loaded stack with what an engine needs (command, cwd relative to the
 * project, the env the config sets, port, readiness, dependencies, restart
 * and stop settings, image), and the output shapes the builders return:
 * YAML documents with comments at paths, or text files, plus warnings for
 * what the target cannot express.
 */

import type { ReadyCheck, RestartPolicy, StdinMode } from "../../../model.ts";
import type { StackConfig } from "../../types.ts";

/** One process as the exporters see it. */
export interface ExportProcess {
  name: string;
  cmd: string;
  /** Absolute working directory on this machine. */
  cwd: string;
  /** cwd relative to the config's directory ("" when the same). */
  relCwd: string;
  /** Variables the config sets (not the caller's environment). */
  env: Record<string, string>;
  port: number | null;
  ready: ReadyCheck | null;
  readyTimeoutMs: number;
  dependsOn: string[];
  autorestart: RestartPolicy;
  maxRestarts: number | null;
  restartDelayMs: number;
  stopSignal: string;
  stopTimeoutMs: number;
  watch: string[];
  /** Whether agent-procs captures its pages' browser console (`browser_logs`). */
  browserLogs: boolean;
  image: string | null;
  /** `pipe` when agent-procs keeps a pipe to its stdin (`send`). */
  stdin: StdinMode;
}

/** A stack ready to export. */
export interface ExportStack {
  /** A name for the whole stack (its session, else its directory's name). */
  name: string;
  dir: string;
  proxy: boolean;
  processes: ExportProcess[];
}

/** A comment attached to the node at `path` of a YAML document. */
export interface YamlNote {
  path: (string | number)[];
  lines: string[];
}

/** One YAML document with its header comment and notes. */
export interface YamlDoc {
  value: object;
  header: string[];
  notes: YamlNote[];
}

/** A file to write: YAML documents (serialized with the `yaml` package) or text. */
export type ExportFile =
  | { name: string; kind: "yaml"; docs: YamlDoc[] }
  | { name: string; kind: "text"; text: string };

/** What an exporter returns. */
export interface ExportOutput {
  files: ExportFile[];
  /** What the target cannot express: also a comment in the files. */
  warnings: string[];
}

/** The path of `p` relative to `dir` (`""` when equal, `null` when outside it). */
function relative(dir: string, p: string): string | null {
  if (p === dir) return "";
  return p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : null;
}

/** The export model of a loaded config. */
export function exportModel(config: StackConfig): ExportStack {
  const base = config.dir.slice(config.dir.lastIndexOf("/") + 1) || "stack";
  return {
    name: (config.session ?? base).toLowerCase().replace(/[^a-z0-9-]/g, "-"),
    dir: config.dir,
    proxy: config.proxy,
    processes: config.processes.map((p) => ({
      name: p.name,
      cmd: p.cmd,
      cwd: p.cwd,
      relCwd: relative(config.dir, p.cwd) ?? p.cwd,
      env: { ...(config.userEnv[p.name] ?? p.userEnv) },
      port: p.port,
      ready: p.ready,
      readyTimeoutMs: p.readyTimeoutMs,
      dependsOn: p.dependsOn,
      autorestart: p.autorestart,
      maxRestarts: p.maxRestarts,
      restartDelayMs: p.restartDelayMs,
      stopSignal: p.stopSignal,
      stopTimeoutMs: p.stopTimeoutMs,
      watch: p.watch,
      browserLogs: p.browserLogs,
      image: config.images?.[p.name] ?? null,
      stdin: p.stdin,
    })),
  };
}

/** Collects warnings and the notes that repeat them in a file. */
export class Notes {
  readonly warnings: string[] = [];
  readonly byProcess = new Map<string, string[]>();

  /** Records that `what` of process `name` cannot be expressed in `target`. */
  add(name: string, what: string): void {
    this.warnings.push(`${name}: ${what}`);
    this.byProcess.set(name, [...(this.byProcess.get(name) ?? []), `not exported: ${what}`]);
  }

  /** The notes of one process. */
  of(name: string): string[] {
    return this.byProcess.get(name) ?? [];
  }
}

/** Seconds from ms, rounded up, at least `min`. */
export function secs(ms: number, min = 0): number {
  return Math.max(min, Math.ceil(ms / 1000));
}

/** Why a readiness check or watch cannot be exported, for the common cases. */
export function commonNotes(p: ExportProcess, notes: Notes, target: string): void {
  if (p.ready?.kind === "log") {
    notes.add(
      p.name,
      `readiness is a log line (${JSON.stringify(p.ready.pattern)}), which ${target} cannot check`,
    );
  }
  if (p.watch.length) {
    notes.add(p.name, `watch (${p.watch.join(", ")}): ${target} does not restart on file changes`);
  }
  if (p.browserLogs) {
    notes.add(p.name, `browser_logs: the browser console goes through agent-procs' proxy only`);
  }
}

/** A shell command that succeeds when the probe `r` passes (null for a log line). */
export function probeShell(r: ReadyCheck): string | null {
  switch (r.kind) {
    case "http":
      return `curl -fsS -o /dev/null ${shellQuote(r.url)}`;
    case "tcp":
      return `nc -z ${r.host} ${r.port}`;
    case "cmd":
      return r.cmd;
    case "log":
    case "listen":
      return null;
  }
}

/** Single-quotes a word for sh. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The path from directory `from` to `to` (both absolute), e.g. `../api`; `.` when equal. */
export function relativePath(from: string, to: string): string {
  const f = from.split("/").filter(Boolean);
  const t = to.split("/").filter(Boolean);
  let i = 0;
  while (i < f.length && i < t.length && f[i] === t[i]) i++;
  return [...Array(f.length - i).fill(".."), ...t.slice(i)].join("/") || ".";
}
