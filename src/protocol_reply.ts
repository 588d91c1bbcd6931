/**
 * Decoding what the daemon sends back: every reply line (`decodeReply`),
 * down to the status rows, log lines, wait and `up` results it carries, and
 * the final `ok` data of every request type (`decodeOkData`). The client checks every reply with these before a caller
 * sees it, so no caller casts what came off the socket.
 */

import type { AwaitingInputInfo, LastFailure, ProcessInfo, StateName } from "./model.ts";
import { isRestartPolicy } from "./model.ts";
import { isStreamName } from "./logs/index_format.ts";
import {
  type DownResult,
  type EnsureResult,
  type ErrorCode,
  type OkData,
  ProtocolError,
  type Reply,
  type RequestType,
  type SendResult,
  type UpResult,
  type UpStep,
  type WaitResult,
  type WireLine,
} from "./protocol.ts";

type Json = Record<string, unknown>;

function obj(v: unknown, what: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new ProtocolError(`${what} must be an object`);
  }
  return v as Json;
}

function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new ProtocolError(`${what} must be a list`);
  return v;
}

function strings(v: unknown, what: string): string[] {
  const l = list(v, what);
  if (!l.every((x) => typeof x === "string")) {
    throw new ProtocolError(`${what} must be a list of strings`);
  }
  return l as string[];
}

function num(o: Json, k: string): number {
  const v = o[k];
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new ProtocolError(`field ${k} must be a number`);
  }
  return v;
}

function numOrNull(o: Json, k: string): number | null {
  return o[k] === null ? null : num(o, k);
}

function str(o: Json, k: string): string {
  const v = o[k];
  if (typeof v !== "string") throw new ProtocolError(`field ${k} must be a string`);
  return v;
}

function strOrNull(o: Json, k: string): string | null {
  return o[k] === null ? null : str(o, k);
}

function bool(o: Json, k: string): boolean {
  const v = o[k];
  if (typeof v !== "boolean") throw new ProtocolError(`field ${k} must be a boolean`);
  return v;
}

const STATES: readonly StateName[] = [
  "running",
  "stopping",
  "restarting",
  "exited",
  "stopped",
  "failed",
];

/** Validates one status row. Extra keys (from a newer daemon) are kept. */
export function decodeProcessInfo(v: unknown): ProcessInfo {
  const o = obj(v, "process");
  const state = str(o, "state");
  if (!(STATES as readonly string[]).includes(state)) {
    throw new ProtocolError(`unknown state ${state}`);
  }
  const policy = o.restart_policy;
  if (!isRestartPolicy(policy)) throw new ProtocolError("bad restart_policy");
  const ready = o.ready;
  if (ready !== null && typeof ready !== "boolean") {
    throw new ProtocolError("field ready must be a boolean or null");
  }
  return {
    ...o,
    name: str(o, "name"),
    id: str(o, "id"),
    generation: num(o, "generation"),
    pid: numOrNull(o, "pid"),
    state: state as StateName,
    ready,
    exit_code: numOrNull(o, "exit_code"),
    signal: strOrNull(o, "signal"),
    uptime_secs: numOrNull(o, "uptime_secs"),
    started_at: strOrNull(o, "started_at"),
    command: str(o, "command"),
    cwd: str(o, "cwd"),
    port: numOrNull(o, "port"),
    url: strOrNull(o, "url"),
    restart_count: num(o, "restart_count"),
    max_restarts: numOrNull(o, "max_restarts"),
    restart_policy: policy,
    watched: bool(o, "watched"),
    run_generation: num(o, "run_generation"),
    next_restart_at: strOrNull(o, "next_restart_at"),
    watch_error: o.watch_error === undefined ? null : strOrNull(o, "watch_error"),
    log_error: o.log_error === undefined ? null : strOrNull(o, "log_error"),
    last_failure: o.last_failure === undefined || o.last_failure === null
      ? null
      : decodeLastFailure(o.last_failure),
    crash_loop: o.crash_loop === true,
    listening: Array.isArray(o.listening)
      ? o.listening.filter((p): p is number => typeof p === "number")
      : [],
    cpu_percent: typeof o.cpu_percent === "number" ? o.cpu_percent : null,
    rss_bytes: typeof o.rss_bytes === "number" ? o.rss_bytes : null,
    stdin: o.stdin === "pipe" ? "pipe" : "null",
    awaiting_input: o.awaiting_input === undefined || o.awaiting_input === null
      ? null
      : decodeAwaiting(o.awaiting_input),
  };
}

function decodeAwaiting(v: unknown): AwaitingInputInfo {
  const o = obj(v, "awaiting_input");
  return { prompt: str(o, "prompt"), since: str(o, "since") };
}

const REASONS: readonly LastFailure["reason"][] = [
  "exited",
  "signal",
  "ready-timeout",
  "ready-exit",
  "spawn-failed",
];

function decodeLastFailure(v: unknown): LastFailure {
  const o = obj(v, "last_failure");
  const reason = REASONS.find((r) => r === o.reason);
  if (!reason) throw new ProtocolError("bad last_failure.reason");
  return {
    reason,
    exit_code: numOrNull(o, "exit_code"),
    signal: strOrNull(o, "signal"),
    at: str(o, "at"),
    excerpt: str(o, "excerpt"),
    headline: typeof o.headline === "string" ? o.headline : "",
    hint: o.hint === undefined ? null : strOrNull(o, "hint"),
  };
}

/** Validates a list of status rows. */
export function decodeProcessInfos(v: unknown): ProcessInfo[] {
  return list(v, "processes").map(decodeProcessInfo);
}

/** Validates one log line. */
export function decodeWireLine(v: unknown): WireLine {
  const o = obj(v, "line");
  const stream = o.stream;
  if (!isStreamName(stream)) throw new ProtocolError("bad stream");
  return {
    seq: num(o, "seq"),
    ts: num(o, "ts"),
    stream,
    generation: num(o, "generation"),
    text: str(o, "text"),
    annotation: o.annotation === true,
  };
}

/** Validates a `wait` result. */
export function decodeWaitResult(v: unknown): WaitResult {
  const o = obj(v, "wait result");
  switch (o.kind) {
    case "matched":
      return { kind: "matched", line: decodeWireLine(o.line) };
    case "exited":
      return { kind: "exited", exitCode: numOrNull(o, "exitCode"), signal: strOrNull(o, "signal") };
    case "ready":
      return { kind: "ready" };
    default:
      throw new ProtocolError("unknown wait result");
  }
}

function decodeUpResult(v: unknown): UpResult {
  const o = obj(v, "up result");
  return {
    processes: decodeProcessInfos(o.processes),
    failed: strings(o.failed, "failed"),
    blocked: strings(o.blocked, "blocked"),
    proxy: strOrNull(o, "proxy"),
  };
}

function decodeDownResult(v: unknown): DownResult {
  const o = obj(v, "down result");
  return { stopped: strings(o.stopped, "stopped"), forgotten: strings(o.forgotten, "forgotten") };
}

function nothing(_v: unknown): null {
  return null;
}

function decodeSendResult(v: unknown): SendResult {
  const o = obj(v, "send result");
  return { name: str(o, "name"), bytes: num(o, "bytes"), eof: bool(o, "eof") };
}

type Decoders = { [T in RequestType]: (v: unknown) => OkData<T> };

function decodeEnsureResult(v: unknown): EnsureResult {
  const o = obj(v, "ensure result");
  const outcome = (["kept", "restarted", "started"] as const).find((x) => x === o.outcome);
  if (!outcome) throw new ProtocolError("bad ensure outcome");
  return { outcome, process: decodeProcessInfo(o.process) };
}

const DECODERS: Decoders = {
  run: decodeProcessInfo,
  ensure: decodeEnsureResult,
  stop: (v) => strings(v, "stopped names"),
  stop_all: (v) => strings(v, "stopped names"),
  restart: decodeProcessInfos,
  status: decodeProcessInfos,
  wait: decodeWaitResult,
  follow: nothing,
  subscribe: nothing,
  up: decodeUpResult,
  down: decodeDownResult,
  send: decodeSendResult,
  ping: nothing,
  shutdown: nothing,
  set_ttl: nothing,
};

/** Checks the final `ok` data of a request of type `type`; throws `ProtocolError` when malformed. */
export function decodeOkData<T extends RequestType>(type: T, data: unknown): OkData<T> {
  return DECODERS[type](data);
}

function errorCode(v: string): ErrorCode {
  const codes: readonly ErrorCode[] = [
    "not_found",
    "bad_request",
    "conflict",
    "timeout",
    "failed",
    "internal",
  ];
  const found = codes.find((c) => c === v);
  if (!found) throw new ProtocolError(`unknown error code ${v}`);
  return found;
}

const STEPS: readonly UpStep[] = [
  "waiting",
  "started",
  "unchanged",
  "restarted",
  "ready",
  "failed",
  "blocked",
];

function upStep(v: string): UpStep {
  const found = STEPS.find((s) => s === v);
  if (!found) throw new ProtocolError(`unknown up step ${v}`);
  return found;
}

function seqMap(v: unknown): Record<string, number> {
  const o = obj(v, "seqs");
  for (const x of Object.values(o)) {
    if (typeof x !== "number") throw new ProtocolError("seqs must map names to numbers");
  }
  return o as Record<string, number>;
}

/** Validates one reply line from the daemon, down to every row and line it carries. */
export function decodeReply(v: unknown): Reply {
  const o = obj(v, "reply");
  switch (o.type) {
    case "hello":
      return {
        type: "hello",
        version: num(o, "version"),
        pid: num(o, "pid"),
        session: str(o, "session"),
        warnings: o.warnings === undefined ? [] : strings(o.warnings, "warnings"),
      };
    case "ok":
      return { type: "ok", data: o.data };
    case "error":
      return {
        type: "error",
        code: errorCode(str(o, "code")),
        message: str(o, "message"),
        details: o.details === undefined ? undefined : strings(o.details, "details"),
        ...(o.hint === undefined ? {} : { hint: str(o, "hint") }),
      };
    case "lines":
      return {
        type: "lines",
        process: str(o, "process"),
        lines: list(o.lines, "lines").map(decodeWireLine),
      };
    case "status":
      return { type: "status", processes: decodeProcessInfos(o.processes) };
    case "note":
      return { type: "note", text: str(o, "text") };
    case "activity":
      return { type: "activity", seqs: seqMap(o.seqs) };
    case "progress":
      return {
        type: "progress",
        name: str(o, "name"),
        step: upStep(str(o, "step")),
        info: o.info === null || o.info === undefined ? null : decodeProcessInfo(o.info),
        message: typeof o.message === "string" ? o.message : null,
        details: o.details === undefined ? [] : strings(o.details, "details"),
      };
    default:
      throw new ProtocolError(`unknown reply type ${JSON.stringify(o.type)}`);
  }
}
