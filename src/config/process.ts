/**
 * Validation of one entry of `processes:` (pure over the YAML nodes): every
 * per-process field of SPEC §5.1 read into a `RawProcess` that still carries
 * the places needed for later errors (cwd, env files, dependencies).
 */

import type { ReadyCheck, RestartPolicy, StdinMode } from "../model.ts";
import { RESTART_POLICIES, SPEC_DEFAULTS, STDIN_MODES } from "../model.ts";
import type { Ast, Entry } from "./yaml_ast.ts";
import type { At, Pos } from "./types.ts";
import { didYouMean } from "./suggest.ts";
import { nameProblem, parseSignal, STOP_SIGNALS } from "./values.ts";
import {
  readBool,
  readDuration,
  readEnum,
  readEnv,
  readInt,
  readPathList,
  readPort,
  readReady,
  readString,
  readStringList,
} from "./fields.ts";

/** Keys allowed under a process (SPEC §5.1). */
export const PROCESS_KEYS: readonly string[] = [
  "cmd",
  "cwd",
  "env",
  "env_file",
  "ready",
  "ready_timeout",
  "depends_on",
  "port",
  "autorestart",
  "max_restarts",
  "restart_delay",
  "watch",
  "watch_ignore",
  "stop_signal",
  "stop_timeout",
  "image",
  "stdin",
  "browser_logs",
];

/** Names other tools use for the process keys, for "did you mean". */
export const PROCESS_ALIASES: Readonly<Record<string, string>> = {
  command: "cmd",
  run: "cmd",
  script: "cmd",
  dir: "cwd",
  workdir: "cwd",
  working_dir: "cwd",
  directory: "cwd",
  environment: "env",
  envs: "env",
  env_files: "env_file",
  dotenv: "env_file",
  depends: "depends_on",
  dependencies: "depends_on",
  requires: "depends_on",
  after: "depends_on",
  needs: "depends_on",
  restart: "autorestart",
  restart_policy: "autorestart",
  retries: "max_restarts",
  signal: "stop_signal",
  kill_signal: "stop_signal",
  ready_check: "ready",
  readiness: "ready",
  healthcheck: "ready",
  timeout: "ready_timeout",
  ignore: "watch_ignore",
};

/** One validated process, before its cwd and env files are read from disk. */
export interface RawProcess {
  name: string;
  namePos: Pos;
  cmd: string;
  cwd: At<string> | null;
  env: Record<string, string>;
  envFiles: At<string>[];
  ready: ReadyCheck | null;
  readyTimeoutMs: number;
  dependsOn: At<string>[];
  port: number | null;
  autorestart: RestartPolicy;
  maxRestarts: number | null;
  restartDelayMs: number;
  watch: string[];
  watchIgnore: string[];
  stopSignal: Deno.Signal;
  stopTimeoutMs: number;
  /** Container image for `export` (compose, kubernetes); not used to run locally. */
  image: string | null;
  /** `pipe`: the daemon keeps a pipe to its stdin (`send`). */
  stdin: StdinMode;
  /** The process's own `browser_logs:`, or null to follow the top level. */
  browserLogs: boolean | null;
}

/** A hint for a top-level key written inside a process. */
const TOP_LEVEL_HINT = new Set(["session", "proxy", "proxy_port", "idle_ttl", "processes"]);

/** Reads a process definition; records errors on `ast` and returns null on any. */
export function validateProcess(ast: Ast, def: Entry): RawProcess | null {
  const before = ast.errors.length;
  const name = def.key;
  const namePos = ast.pos(def.keyNode);
  const problem = nameProblem(name);
  if (problem) {
    ast.fail(def.keyNode, `processes: invalid process name ${JSON.stringify(name)} (${problem})`);
  }
  const p = `processes.${name}`;
  const v = def.value;
  if (!v || !ast.y.isMap(v)) {
    ast.fail(
      v && v.range ? v : def.keyNode,
      `${p}: expected a map with at least "cmd", got ${ast.describe(v)}`,
    );
    return null;
  }
  const raw: RawProcess = {
    name,
    namePos,
    cmd: "",
    cwd: null,
    env: {},
    envFiles: [],
    ready: null,
    dependsOn: [],
    port: null,
    maxRestarts: null,
    watch: [],
    watchIgnore: [],
    readyTimeoutMs: SPEC_DEFAULTS.readyTimeoutMs,
    autorestart: SPEC_DEFAULTS.autorestart,
    restartDelayMs: SPEC_DEFAULTS.restartDelayMs,
    stopSignal: SPEC_DEFAULTS.stopSignal,
    stopTimeoutMs: SPEC_DEFAULTS.stopTimeoutMs,
    image: null,
    stdin: "null",
    browserLogs: null,
  };
  let hasCmd = false;
  for (const e of ast.entries(v)) {
    const f = `${p}.${e.key}`;
    if (!PROCESS_KEYS.includes(e.key)) {
      const hint = TOP_LEVEL_HINT.has(e.key)
        ? ` ("${e.key}" is a top-level key)`
        : didYouMean(e.key, PROCESS_KEYS, PROCESS_ALIASES);
      ast.fail(e.keyNode, `${p}: unknown key ${JSON.stringify(e.key)}${hint}`);
      continue;
    }
    if (e.key === "cmd") hasCmd = true;
    if (e.broken) continue;
    if (ast.isNull(e.value) && e.key !== "cmd") continue; // an empty optional field is "not set"
    readField(ast, e, f, raw);
  }
  if (!hasCmd) ast.fail(def.keyNode, `${p}: missing required key "cmd"`);
  return ast.errors.length === before ? raw : null;
}

function readField(ast: Ast, e: Entry, f: string, raw: RawProcess): void {
  switch (e.key) {
    case "cmd":
      raw.cmd = readString(ast, e, f) ?? "";
      return;
    case "cwd": {
      const s = readString(ast, e, f);
      if (s !== undefined && e.value) raw.cwd = { value: s, pos: ast.pos(e.value) };
      return;
    }
    case "env":
      raw.env = readEnv(ast, e, f) ?? {};
      return;
    case "env_file":
      raw.envFiles = readPathList(ast, e, f) ?? [];
      return;
    case "ready":
      raw.ready = readReady(ast, e, f) ?? null;
      return;
    case "ready_timeout":
      raw.readyTimeoutMs = readDuration(ast, e, f, 1000, 1) ?? raw.readyTimeoutMs;
      return;
    case "depends_on":
      raw.dependsOn = readStringList(ast, e, f) ?? [];
      return;
    case "port":
      raw.port = readPort(ast, e, f) ?? null;
      return;
    case "autorestart":
      raw.autorestart =
        readEnum(ast, e, f, RESTART_POLICIES, (w) => didYouMean(w, RESTART_POLICIES)) ??
          raw.autorestart;
      return;
    case "max_restarts":
      raw.maxRestarts = readInt(ast, e, f, 0) ?? null;
      return;
    case "restart_delay":
      raw.restartDelayMs = readDuration(ast, e, f, 1, 0) ?? raw.restartDelayMs;
      return;
    case "watch":
      raw.watch = (readStringList(ast, e, f) ?? []).map((x) => x.value);
      return;
    case "watch_ignore":
      raw.watchIgnore = (readStringList(ast, e, f) ?? []).map((x) => x.value);
      return;
    case "stop_signal": {
      const s = readString(ast, e, f);
      if (s === undefined || !e.value) return;
      const r = parseSignal(s);
      if (r.ok) raw.stopSignal = r.value;
      else ast.fail(e.value, `${f}: ${r.message}${didYouMean(s, STOP_SIGNALS)}`);
      return;
    }
    case "stop_timeout":
      raw.stopTimeoutMs = readDuration(ast, e, f, 1000, 0) ?? raw.stopTimeoutMs;
      return;
    case "image":
      raw.image = readString(ast, e, f) ?? null;
      return;
    case "stdin":
      raw.stdin = readEnum(ast, e, f, STDIN_MODES, (w) => didYouMean(w, STDIN_MODES)) ??
        raw.stdin;
      return;
    case "browser_logs":
      raw.browserLogs = readBool(ast, e, f) ?? null;
      return;
  }
}
