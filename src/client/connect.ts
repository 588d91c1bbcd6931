/**
 * Talking to a session's daemon: connect (optionally starting the daemon),
 * send hello plus one request, stream intermediate messages to a callback and
 * return the final result. Daemon errors become `CliError`s with the right
 * exit code; every call has a deadline.
 */

import { CliError, EXIT, messageOf } from "../errors.ts";
import type { SessionPaths } from "../paths.ts";
import {
  concatBytes,
  encodeLine,
  LineSplitter,
  type OkData,
  parseJsonLine,
  PROTOCOL_VERSION,
  type Reply,
  type Request,
} from "../protocol.ts";
import { decodeOkData, decodeReply } from "../protocol_reply.ts";
import { ensureDaemon } from "./autostart.ts";

/** Tries to connect to the daemon's socket; null when no daemon answers. */
export async function tryConnect(socket: string): Promise<Deno.UnixConn | null> {
  try {
    return await Deno.connect({ transport: "unix", path: socket });
  } catch {
    return null;
  }
}

/** Options of a request. */
export interface RequestOptions {
  /** Start the daemon when none runs (commands that need one). */
  autostart: boolean;
  /** Overall deadline in ms (0 = none: streams end by themselves or by `signal`). */
  timeoutMs: number;
  /** Called for every non-final message. */
  onMessage?: (msg: Reply) => void;
  /** Aborting closes the connection and rejects with `Cancelled`. */
  signal?: AbortSignal;
  /** Called with each problem the daemon reports in its greeting (state not saved, capture failing). */
  onWarning?: (line: string) => void;
}

/** Thrown by `request` when its `signal` aborted it. */
export class Cancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "Cancelled";
  }
}

/** Thrown (as a value inside) when no daemon runs and autostart is off. */
export class NoDaemon extends Error {
  constructor() {
    super("no daemon");
  }
}

/**
 * Sends one request and returns the final `ok` data, checked against the type
 * that request gets (`OkData`); throws `CliError` on daemon errors, `NoDaemon`
 * when none runs and autostart is off, `Cancelled` when `signal` aborted it.
 */
export async function request<R extends Request>(
  paths: SessionPaths,
  req: R,
  opts: RequestOptions,
): Promise<OkData<R["type"]>> {
  for (let attempt = 1;; attempt++) {
    let conn = await tryConnect(paths.socket);
    if (!conn) {
      if (!opts.autostart) throw new NoDaemon();
      conn = await ensureDaemon(paths);
    }
    try {
      return await exchange(conn, req, opts);
    } catch (e) {
      // The daemon closed its socket (idle exit, shutdown) with our connection still waiting to be
      // accepted: it never read the request, so asking again (a new daemon, or none) is safe.
      if (!(e instanceof Vanished) || attempt >= 3) throw e instanceof Vanished ? e.error : e;
    }
  }
}

/** The daemon went away before greeting: the request was never read. `error` is what to report. */
class Vanished extends Error {
  constructor(readonly error: CliError) {
    super(error.message);
  }
}

async function exchange<R extends Request>(
  conn: Deno.UnixConn,
  req: R,
  opts: RequestOptions,
): Promise<OkData<R["type"]>> {
  let timedOut = false;
  let greeted = false;
  const close = () => {
    try {
      conn.close();
    } catch {
      // closed
    }
  };
  // AbortSignal.timeout, not setTimeout: the first setTimeout of a process costs ~7 ms in Deno.
  const deadline = opts.timeoutMs > 0 ? AbortSignal.timeout(opts.timeoutMs) : null;
  const onDeadline = () => {
    timedOut = true;
    close();
  };
  deadline?.addEventListener("abort", onDeadline, { once: true });
  const onAbort = () => close();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  if (opts.signal?.aborted) close(); // cancelled before the connection existed
  try {
    const hello = { type: "hello", version: PROTOCOL_VERSION };
    const out = concatBytes([encodeLine(hello), encodeLine(req)]);
    let off = 0;
    while (off < out.length) off += await conn.write(out.subarray(off));
    const splitter = new LineSplitter();
    // Plain reads, not `conn.readable`: web streams cost ~15 ms to set up in a fresh process.
    const buf = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      for (const line of splitter.push(buf.subarray(0, n))) {
        const msg = decodeReply(parseJsonLine(line));
        if (!greeted) {
          if (msg.type === "error") throw toCliError(msg);
          if (msg.type !== "hello") throw new CliError("daemon did not greet");
          greeted = true;
          for (const w of msg.warnings) opts.onWarning?.(w);
          continue;
        }
        if (msg.type === "ok") return decodeOkData<R["type"]>(req.type, msg.data);
        if (msg.type === "error") throw toCliError(msg);
        opts.onMessage?.(msg);
      }
    }
    if (opts.signal?.aborted) throw new Cancelled();
    if (timedOut) throw new CliError("timeout");
    const closed = new CliError("the daemon closed the connection unexpectedly", {
      hint: "see the daemon log (agent-procs session list shows the session's state dir)",
    });
    throw greeted ? closed : new Vanished(closed);
  } catch (e) {
    if (opts.signal?.aborted) throw new Cancelled();
    if (timedOut) throw new CliError("timeout");
    if (e instanceof CliError || e instanceof Vanished) throw e;
    const failed = new CliError(`talking to the daemon failed: ${messageOf(e)}`);
    const gone = e instanceof Deno.errors.ConnectionReset || e instanceof Deno.errors.BrokenPipe;
    throw gone && !greeted ? new Vanished(failed) : failed;
  } finally {
    deadline?.removeEventListener("abort", onDeadline);
    opts.signal?.removeEventListener("abort", onAbort);
    close();
  }
}

function toCliError(msg: Extract<Reply, { type: "error" }>): CliError {
  const exitCode = msg.code === "not_found" ? EXIT.notFound : EXIT.error;
  return new CliError(msg.message, { exitCode, details: msg.details, hint: msg.hint });
}
