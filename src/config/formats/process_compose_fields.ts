/**
 * The per-process field mapping of the process-compose importer (pure):
 * command, working_dir, environment, env_file, readiness_probe (http_get,
 * exec and its timings), ready_log_line, availability, shutdown and
 * depends_on with its four conditions. Everything else is a warning naming
 * the field and its line, and a comment above the process in `init`'s file.
 */

import type { Ast, Entry, YNode } from "../yaml_ast.ts";
import type { Draft, DraftField, DraftProcess } from "./draft.ts";
import { unmapped } from "./draft.ts";
import { readPcEnv, stringList } from "./process_compose_values.ts";

/** One `depends_on` entry, resolved once every process is read. */
export interface PcDep {
  from: DraftProcess;
  to: string;
  condition: string;
  line: number;
}

/** State shared while one document is imported. */
export interface PcContext {
  ast: Ast;
  d: Draft;
  deps: PcDep[];
  /** Which processes got a readiness check, and of which kind. */
  readiness: Map<string, "probe" | "log">;
  /** Disabled processes (left out) and their lines. */
  disabled: Map<string, number>;
}

/** Signal numbers process-compose takes, by name. */
const SIGNALS: Readonly<Record<number, string>> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  6: "SIGABRT",
  9: "SIGKILL",
  10: "SIGUSR1",
  12: "SIGUSR2",
  14: "SIGALRM",
  15: "SIGTERM",
};

/** Restart modes of `availability.restart`. */
const RESTART: Readonly<Record<string, string>> = {
  always: "always",
  on_failure: "on-failure",
  no: "never",
};

function text(ast: Ast, v: YNode | null): string | null {
  return v ? ast.scalarText(v) : null;
}

function num(ast: Ast, v: YNode | null): number | null {
  const t = text(ast, v);
  return t !== null && /^\d+(\.\d+)?$/.test(t) ? Number(t) : null;
}

/** Sets a field of `proc`, replacing one of the same key. */
export function set(proc: DraftProcess, f: DraftField): void {
  const i = proc.fields.findIndex((x) => x.key === f.key);
  if (i >= 0) proc.fields[i] = f;
  else proc.fields.push(f);
}

function sub(c: PcContext, e: Entry, path: string, proc: DraftProcess): Entry[] {
  if (e.value && c.ast.y.isMap(e.value)) return c.ast.entries(e.value);
  unmapped(c.d, proc, c.ast.pos(e.keyNode).line, path, `expected a map, ignored`);
  return [];
}

/** Maps one key of a process definition onto `proc` (or warns). */
export function mapProcessField(c: PcContext, proc: DraftProcess, e: Entry): void {
  const { ast, d } = c;
  const line = ast.pos(e.keyNode).line;
  const path = `processes.${proc.name}.${e.key}`;
  const bad = (why: string) => unmapped(d, proc, line, path, why);
  switch (e.key) {
    case "command": {
      const t = text(ast, e.value);
      if (t === null) return bad("expected a string");
      return set(proc, { key: "cmd", value: t, line });
    }
    case "working_dir": {
      const t = text(ast, e.value);
      if (t === null) return bad("expected a string");
      return set(proc, { key: "cwd", value: t, line });
    }
    case "environment": {
      const env = readPcEnv(ast, d, proc, e, path);
      if (env) set(proc, { key: "env", value: env, line });
      return;
    }
    case "env_file": {
      const files = stringList(ast, e.value);
      if (!files) return bad("expected a file name or a list of them");
      return set(proc, { key: "env_file", value: files, line });
    }
    case "description": {
      const t = text(ast, e.value);
      if (t !== null) proc.comments.push(t);
      return;
    }
    case "ready_log_line": {
      const t = text(ast, e.value);
      if (t === null || t === "") return bad("expected a non-empty string");
      if (c.readiness.get(proc.name) === "probe") {
        return bad("a readiness_probe is used instead (agent-procs has one readiness check)");
      }
      c.readiness.set(proc.name, "log");
      return set(proc, { key: "ready", value: t, line });
    }
    case "readiness_probe":
      return mapProbe(c, proc, e, path);
    case "availability":
      return mapAvailability(c, proc, e, path);
    case "shutdown":
      return mapShutdown(c, proc, e, path);
    case "depends_on":
      return readDeps(c, proc, e, path);
    case "liveness_probe":
      return bad("agent-procs has no liveness checks (only readiness), ignored");
    default:
      return bad("not supported by agent-procs, ignored");
  }
}

function mapProbe(c: PcContext, proc: DraftProcess, e: Entry, path: string): void {
  const { ast, d } = c;
  let timing = false;
  let initial = 0, period = 10, timeout = 1, failures = 3;
  for (const x of sub(c, e, path, proc)) {
    const line = ast.pos(x.keyNode).line;
    const p = `${path}.${x.key}`;
    if (x.key === "http_get" && x.value && ast.y.isMap(x.value)) {
      const f = new Map(ast.entries(x.value).map((y) => [y.key, text(ast, y.value)]));
      const port = f.get("port") ?? f.get("num_port");
      if (!port) {
        unmapped(d, proc, line, p, "no port, ignored");
        continue;
      }
      const path0 = f.get("path") ?? "/";
      const url = `${f.get("scheme") ?? "http"}://${f.get("host") ?? "127.0.0.1"}:${port}${
        path0.startsWith("/") ? path0 : `/${path0}`
      }`;
      if (c.readiness.get(proc.name) === "log") {
        d.warnings.push({ line, message: `${p}: used instead of ready_log_line` });
      }
      c.readiness.set(proc.name, "probe");
      set(proc, { key: "ready", value: { http: url }, line });
    } else if (x.key === "exec" && x.value && ast.y.isMap(x.value)) {
      const cmd = ast.entries(x.value).find((y) => y.key === "command");
      const t = cmd ? text(ast, cmd.value) : null;
      if (t === null) {
        unmapped(d, proc, line, p, "no command, ignored");
        continue;
      }
      c.readiness.set(proc.name, "probe");
      set(proc, { key: "ready", value: { cmd: t }, line });
    } else if (
      ["initial_delay_seconds", "period_seconds", "timeout_seconds", "failure_threshold"].includes(
        x.key,
      )
    ) {
      const n = num(ast, x.value);
      if (n === null) {
        unmapped(d, proc, line, p, "expected a number, ignored");
        continue;
      }
      timing = true;
      if (x.key === "initial_delay_seconds") initial = n;
      else if (x.key === "period_seconds") period = n;
      else if (x.key === "timeout_seconds") timeout = n;
      else failures = n;
    } else if (x.key === "success_threshold" && num(ast, x.value) === 1) {
      continue;
    } else {
      unmapped(d, proc, line, p, "not supported by agent-procs, ignored");
    }
  }
  if (timing) {
    const secs = Math.max(1, Math.ceil(initial + (period + timeout) * failures));
    set(proc, { key: "ready_timeout", value: `${secs}s`, line: ast.pos(e.keyNode).line });
  }
}

function mapAvailability(c: PcContext, proc: DraftProcess, e: Entry, path: string): void {
  const { ast, d } = c;
  for (const x of sub(c, e, path, proc)) {
    const line = ast.pos(x.keyNode).line;
    const p = `${path}.${x.key}`;
    const t = text(ast, x.value);
    if (x.key === "restart" && t !== null && t in RESTART) {
      set(proc, { key: "autorestart", value: RESTART[t], line });
    } else if (x.key === "restart" && t === "exit_on_failure") {
      set(proc, { key: "autorestart", value: "never", line });
      unmapped(
        d,
        proc,
        line,
        p,
        "exit_on_failure: agent-procs does not stop the stack, mapped to never",
      );
    } else if (x.key === "backoff_seconds" && num(ast, x.value) !== null) {
      set(proc, { key: "restart_delay", value: `${num(ast, x.value)}s`, line });
    } else if (x.key === "max_restarts" && num(ast, x.value) !== null) {
      set(proc, { key: "max_restarts", value: num(ast, x.value)!, line });
    } else unmapped(d, proc, line, p, "not supported by agent-procs, ignored");
  }
}

function mapShutdown(c: PcContext, proc: DraftProcess, e: Entry, path: string): void {
  const { ast, d } = c;
  for (const x of sub(c, e, path, proc)) {
    const line = ast.pos(x.keyNode).line;
    const p = `${path}.${x.key}`;
    const t = text(ast, x.value);
    const n = num(ast, x.value);
    if (x.key === "signal" && n !== null && SIGNALS[n]) {
      set(proc, { key: "stop_signal", value: SIGNALS[n], line });
    } else if (x.key === "signal" && t !== null && n === null) {
      set(proc, { key: "stop_signal", value: t, line });
    } else if (x.key === "timeout_seconds" && n !== null) {
      set(proc, { key: "stop_timeout", value: `${n}s`, line });
    } else unmapped(d, proc, line, p, "not supported by agent-procs, ignored");
  }
}

function readDeps(c: PcContext, proc: DraftProcess, e: Entry, path: string): void {
  const { ast } = c;
  const v = e.value;
  if (v && ast.y.isSeq(v)) {
    for (const name of stringList(ast, v) ?? []) {
      c.deps.push({ from: proc, to: name, condition: "process_started", line: ast.pos(v).line });
    }
    return;
  }
  for (const x of sub(c, e, path, proc)) {
    const cond = x.value && ast.y.isMap(x.value)
      ? ast.entries(x.value).find((y) => y.key === "condition")
      : undefined;
    const condition = (cond ? text(ast, cond.value) : null) ?? "process_started";
    c.deps.push({ from: proc, to: x.key, condition, line: ast.pos(x.keyNode).line });
  }
}
