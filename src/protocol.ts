/**
 * The wire protocol between the CLI and the daemon: newline-delimited JSON
 * over a Unix socket. A client opens a connection, sends a `hello` line and
 * one request line; the daemon answers `hello`, then zero or more stream
 * messages (`lines`, `status`) and exactly one final `ok` or `error`.
 * Everything read from the socket is validated here into typed values.
 */

import { isRestartPolicy, type ProcessInfo, type ProcessSpec, STOP_SIGNALS } from "./model.ts";
import type { LogLine } from "./logs/writer.ts";
import { isStreamName, type StreamName } from "./logs/index_format.ts";

/** Protocol version; the daemon refuses clients that speak another one (2: the `browser` stream and `browserLogs`). */
export const PROTOCOL_VERSION = 2;

/** Largest message (one JSON line) either side accepts, in bytes. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** A log line as sent over the wire: exactly the log store's line. */
export type WireLine = LogLine;

/** What `wait` waits for. */
export type WaitCondition =
  | { kind: "until"; pattern: string; regex: boolean }
  | { kind: "exit" }
  | { kind: "ready" };

/** Requests a client can make (one per connection). */
export type Request =
  | { type: "run"; spec: ProcessSpec }
  /** `run --ensure`: keep a running process with the same spec, restart a changed one, else start. */
  | { type: "ensure"; spec: ProcessSpec }
  | { type: "stop"; targets: string[] }
  | { type: "stop_all" }
  | { type: "restart"; targets: string[] }
  | { type: "status"; resources?: boolean }
  | { type: "wait"; target: string; condition: WaitCondition; timeoutMs: number }
  | {
    type: "follow";
    targets: string[];
    all: boolean;
    streams: StreamName[];
    afterSeq: Record<string, number>;
  }
  | { type: "subscribe" }
  | {
    type: "up";
    specs: ProcessSpec[];
    selected: string[];
    proxy: boolean;
    proxyPort: number | null;
  }
  | { type: "down"; names: string[] }
  /** Sets the session's idle TTL (`--ttl`, `AGENT_PROCS_TTL`); 0 clears it. */
  | { type: "set_ttl"; ms: number }
  | { type: "send"; target: string; text: string; eof: boolean }
  | { type: "ping" }
  | { type: "shutdown" };

/** Request type names. */
export type RequestType = Request["type"];

/** Error categories; the CLI maps them to exit codes. */
export type ErrorCode =
  | "not_found"
  | "bad_request"
  | "conflict"
  | "timeout"
  | "failed"
  | "internal";

/** Result of `wait`. */
export type WaitResult =
  | { kind: "matched"; line: WireLine }
  | { kind: "exited"; exitCode: number | null; signal: string | null }
  | { kind: "ready" };

/** Steps of `up` reported as they happen. */
export type UpStep =
  | "waiting"
  | "started"
  | "unchanged"
  | "restarted"
  | "ready"
  | "failed"
  | "blocked";

/** Final result of `up`. */
export interface UpResult {
  processes: ProcessInfo[];
  failed: string[];
  blocked: string[];
  proxy: string | null;
}

/** What `down` did: the names it stopped and the names it forgot. */
export interface DownResult {
  stopped: string[];
  forgotten: string[];
}

/** What `run --ensure` did. */
export type EnsureOutcome = "kept" | "restarted" | "started";

/** Reply data of `ensure`. */
export interface EnsureResult {
  outcome: EnsureOutcome;
  process: ProcessInfo;
}

/** What `send` did: the process, how many bytes it took, and whether its stdin is now closed. */
export interface SendResult {
  name: string;
  bytes: number;
  eof: boolean;
}

/**
 * The data of the final `ok` reply to each request type. The daemon sends
 * exactly this; the client's `request()` returns it, checked by a decoder.
 */
export interface OkDataMap {
  run: ProcessInfo;
  ensure: EnsureResult;
  stop: string[];
  stop_all: string[];
  restart: ProcessInfo[];
  status: ProcessInfo[];
  wait: WaitResult;
  follow: null;
  subscribe: null;
  up: UpResult;
  down: DownResult;
  send: SendResult;
  ping: null;
  shutdown: null;
  set_ttl: null;
}

/** The `ok` data of request type `T`. */
export type OkData<T extends RequestType> = OkDataMap[T];

/** Messages from the daemon. */
export type Reply =
  /** `warnings`: problems the session has now (state not saved, capture failing), one line each. */
  | { type: "hello"; version: number; pid: number; session: string; warnings: string[] }
  | { type: "ok"; data: unknown }
  | { type: "error"; code: ErrorCode; message: string; details?: string[]; hint?: string }
  | { type: "lines"; process: string; lines: WireLine[] }
  | { type: "status"; processes: ProcessInfo[] }
  | { type: "note"; text: string }
  | { type: "activity"; seqs: Record<string, number> }
  | {
    type: "progress";
    name: string;
    step: UpStep;
    info: ProcessInfo | null;
    message: string | null;
    details: string[];
  };

/** Thrown by the decoders for malformed input. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(o: Json, k: string): string {
  const v = o[k];
  if (typeof v !== "string") throw new ProtocolError(`field ${k} must be a string`);
  return v;
}

function num(o: Json, k: string): number {
  const v = o[k];
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new ProtocolError(`field ${k} must be a number`);
  }
  return v;
}

function strList(o: Json, k: string): string[] {
  const v = o[k];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
    throw new ProtocolError(`field ${k} must be a list of strings`);
  }
  return v as string[];
}

function streams(o: Json): StreamName[] {
  const list = strList(o, "streams");
  return list.map((s) => {
    if (!isStreamName(s)) throw new ProtocolError(`bad stream ${s}`);
    return s;
  });
}

function signal(v: string): Deno.Signal {
  const found = STOP_SIGNALS.find((s) => s === v);
  if (!found) throw new ProtocolError(`bad stopSignal ${v}`);
  return found;
}

/** Validates a process spec received from a client. */
export function decodeSpec(v: unknown): ProcessSpec {
  if (!isObj(v)) throw new ProtocolError("spec must be an object");
  const env = v.env;
  const userEnv = v.userEnv;
  for (const [k, e] of [["env", env], ["userEnv", userEnv]] as const) {
    if (!isObj(e) || !Object.values(e).every((x) => typeof x === "string")) {
      throw new ProtocolError(`spec.${k} must map names to strings`);
    }
  }
  const port = v.port === null ? null : num(v, "port");
  const maxRestarts = v.maxRestarts === null ? null : num(v, "maxRestarts");
  const policy = str(v, "autorestart");
  if (!isRestartPolicy(policy)) throw new ProtocolError(`bad autorestart ${policy}`);
  const ready = v.ready === null ? null : decodeReady(v.ready);
  const configPath = v.configPath === null ? null : str(v, "configPath");
  return {
    name: str(v, "name"),
    cmd: str(v, "cmd"),
    cwd: str(v, "cwd"),
    env: env as Record<string, string>,
    userEnv: userEnv as Record<string, string>,
    port,
    proxy: v.proxy === true,
    browserLogs: v.browserLogs === true,
    autorestart: policy,
    maxRestarts,
    restartDelayMs: num(v, "restartDelayMs"),
    watch: strList(v, "watch"),
    watchIgnore: strList(v, "watchIgnore"),
    ready,
    readyTimeoutMs: num(v, "readyTimeoutMs"),
    stopSignal: signal(str(v, "stopSignal")),
    stopTimeoutMs: num(v, "stopTimeoutMs"),
    dependsOn: strList(v, "dependsOn"),
    configPath,
    stdin: v.stdin === "pipe" ? "pipe" : "null",
  };
}

function decodeReady(v: unknown): ProcessSpec["ready"] {
  if (!isObj(v)) throw new ProtocolError("ready must be an object");
  switch (v.kind) {
    case "log":
      return { kind: "log", pattern: str(v, "pattern"), regex: v.regex === true };
    case "http":
      return { kind: "http", url: str(v, "url") };
    case "tcp":
      return { kind: "tcp", port: num(v, "port"), host: str(v, "host") };
    case "cmd":
      return { kind: "cmd", cmd: str(v, "cmd") };
    case "listen":
      return { kind: "listen" };
    default:
      throw new ProtocolError("unknown ready kind");
  }
}

function decodeCondition(v: unknown): WaitCondition {
  if (!isObj(v)) throw new ProtocolError("condition must be an object");
  switch (v.kind) {
    case "until":
      return { kind: "until", pattern: str(v, "pattern"), regex: v.regex === true };
    case "exit":
      return { kind: "exit" };
    case "ready":
      return { kind: "ready" };
    default:
      throw new ProtocolError("unknown wait condition");
  }
}

/** Validates one request line from a client. */
export function decodeRequest(v: unknown): Request {
  if (!isObj(v)) throw new ProtocolError("request must be a JSON object");
  switch (v.type) {
    case "run":
      return { type: "run", spec: decodeSpec(v.spec) };
    case "ensure":
      return { type: "ensure", spec: decodeSpec(v.spec) };
    case "stop":
      return { type: "stop", targets: strList(v, "targets") };
    case "restart":
      return { type: "restart", targets: strList(v, "targets") };
    case "wait":
      return {
        type: "wait",
        target: str(v, "target"),
        condition: decodeCondition(v.condition),
        timeoutMs: num(v, "timeoutMs"),
      };
    case "follow": {
      const after = v.afterSeq;
      if (!isObj(after) || !Object.values(after).every((x) => typeof x === "number")) {
        throw new ProtocolError("afterSeq must map names to numbers");
      }
      return {
        type: "follow",
        targets: strList(v, "targets"),
        all: v.all === true,
        streams: streams(v),
        afterSeq: after as Record<string, number>,
      };
    }
    case "up": {
      if (!Array.isArray(v.specs)) throw new ProtocolError("specs must be a list");
      return {
        type: "up",
        specs: v.specs.map(decodeSpec),
        selected: strList(v, "selected"),
        proxy: v.proxy === true,
        proxyPort: v.proxyPort === null || v.proxyPort === undefined ? null : num(v, "proxyPort"),
      };
    }
    case "down":
      return { type: "down", names: strList(v, "names") };
    case "set_ttl": {
      const ms = num(v, "ms");
      if (ms < 0) throw new ProtocolError("field ms must be >= 0");
      return { type: "set_ttl", ms };
    }
    case "send":
      return { type: "send", target: str(v, "target"), text: str(v, "text"), eof: v.eof === true };
    case "status":
      return v.resources === true ? { type: "status", resources: true } : { type: "status" };
    case "stop_all":
    case "subscribe":
    case "ping":
    case "shutdown":
      return { type: v.type };
    default:
      throw new ProtocolError(`unknown request type ${JSON.stringify(v.type)}`);
  }
}

export { concatBytes, encodeLine, LineSplitter, parseJsonLine } from "./protocol_frame.ts";
