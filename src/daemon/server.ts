/**
 * The daemon's socket server: accepts connections, runs the hello/version
 * handshake (the hello lists the session's current warnings), decodes one
 * request per connection and hands it to a handler. Malformed or oversized
 * input gets an `error` reply and the connection is closed; the daemon itself
 * never goes down because of what a client sends. Each request gets exactly
 * one final reply: `ConnContext` refuses a second one (and logs it as a bug),
 * and answers `internal` when a handler returns without one.
 */

import {
  concatBytes,
  decodeRequest,
  encodeLine,
  type ErrorCode,
  LineSplitter,
  type OkData,
  parseJsonLine,
  PROTOCOL_VERSION,
  ProtocolError,
  type Reply,
  type Request,
  type RequestType,
} from "../protocol.ts";
import { messageOf } from "../errors.ts";

/** Bytes a slow reader may have queued before its connection is dropped. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** Messages a handler may send before its final reply. */
export type StreamMessage = Exclude<Reply, { type: "hello" | "ok" | "error" }>;

/**
 * What a handler of request type `T` gets for talking back to its client.
 * Messages are queued; nothing here blocks the caller.
 */
export interface ConnContext<T extends RequestType = RequestType> {
  /** Sends a stream message (lines, status, note, progress, activity). */
  send(msg: StreamMessage): void;
  /** The final `ok` reply, with the data request type `T` promises. */
  reply(data: OkData<T>): void;
  /** The final `error` reply (`hint`: what the user can do about it). */
  fail(code: ErrorCode, message: string, details?: string[], hint?: string): void;
  /** Whether the final reply has been sent. */
  readonly replied: boolean;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

/** Handles one decoded request; resolves once it has sent its final reply (or the client left). */
export type Handler = (req: Request, ctx: ConnContext) => Promise<void>;

/** What `serve` needs besides the listener. */
export interface ServeOptions {
  handler: Handler;
  /** Open connections are counted here (the daemon stays up while any is open). */
  stats: ServerStats;
  session: string;
  /** Called whenever a connection opens or closes. */
  onConnChange: () => void;
  /** The session's current problems, for the hello reply. */
  warnings: () => string[];
  /** The daemon's log. */
  log: (msg: string) => void;
}

/**
 * Serializes writes to a connection, dropping it when the reader falls too far behind. Messages
 * sent while a write is under way go out together in the next write (an `up` of 300 sends 600
 * progress messages, mostly in bursts within one turn).
 */
class ConnWriter {
  #pending: Uint8Array[] = [];
  #writing = false;
  #waiters: (() => void)[] = [];
  #queued = 0;
  #closed = false;
  constructor(
    private conn: Deno.Conn,
    private onDead: () => void,
    private log: (msg: string) => void,
  ) {}

  send(msg: Reply): void {
    if (this.#closed) return;
    const bytes = encodeLine(msg);
    this.#queued += bytes.length;
    if (this.#queued > MAX_QUEUED_BYTES) {
      this.#closed = true;
      this.onDead();
      return;
    }
    this.#pending.push(bytes);
    if (!this.#writing) this.#drain();
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    while (this.#pending.length && !this.#closed) {
      const parts = this.#pending;
      this.#pending = [];
      const bytes = parts.length === 1 ? parts[0] : concatBytes(parts);
      try {
        let off = 0;
        while (off < bytes.length) off += await this.conn.write(bytes.subarray(off));
      } catch (e) {
        if (!isDisconnect(e)) this.log(`writing a reply: ${messageOf(e)}`);
        this.#closed = true;
        this.onDead();
      }
      this.#queued -= bytes.length;
    }
    this.#pending = [];
    this.#writing = false;
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves once everything queued has been written (or the connection dropped). */
  flushed(): Promise<void> {
    if (!this.#writing) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/** True for the errors a client that went away causes (not worth a log line). */
function isDisconnect(e: unknown): boolean {
  return e instanceof Deno.errors.ConnectionReset || e instanceof Deno.errors.BrokenPipe ||
    e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted;
}

/** Counts open connections (the daemon stays up while any is open). */
export interface ServerStats {
  active: number;
}

/** Serves connections until the listener is closed. */
export async function serve(listener: Deno.Listener, opts: ServeOptions): Promise<void> {
  for (;;) {
    let conn: Deno.Conn;
    try {
      conn = await listener.accept();
    } catch (e) {
      if (e instanceof Deno.errors.BadResource) return; // the listener was closed
      opts.log(`accept failed: ${messageOf(e)}`);
      continue;
    }
    opts.stats.active++;
    opts.onConnChange();
    handleConn(conn, opts).finally(() => {
      opts.stats.active--;
      opts.onConnChange();
    });
  }
}

/** The context of one request: the final reply is sent at most once. */
function connContext(
  req: Request,
  out: ConnWriter,
  signal: AbortSignal,
  log: (msg: string) => void,
): ConnContext {
  let replied = false;
  const final = (msg: Reply) => {
    if (replied) {
      log(`bug: a second final reply to ${req.type} was dropped: ${JSON.stringify(msg)}`);
      return;
    }
    replied = true;
    out.send(msg);
  };
  return {
    send: (msg) => {
      if (replied) log(`bug: ${msg.type} message after the final reply to ${req.type} dropped`);
      else out.send(msg);
    },
    reply: (data) => final({ type: "ok", data }),
    fail: (code, message, details, hint) =>
      final({ type: "error", code, message, details, ...(hint ? { hint } : {}) }),
    get replied() {
      return replied;
    },
    signal,
  };
}

async function handleConn(conn: Deno.Conn, opts: ServeOptions): Promise<void> {
  const ac = new AbortController();
  const close = () => {
    ac.abort();
    try {
      conn.close();
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) {
        opts.log(`closing a connection: ${messageOf(e)}`);
      }
    }
  };
  const out = new ConnWriter(conn, close, opts.log);
  const splitter = new LineSplitter();
  let stage: "hello" | "request" | "busy" = "hello";
  let running: Promise<void> | null = null;
  const reject = async (message: string) => {
    out.send({ type: "error", code: "bad_request", message });
    await out.flushed();
    close();
  };
  try {
    for await (const chunk of conn.readable) {
      let lines: string[];
      try {
        lines = splitter.push(chunk);
      } catch (e) {
        await reject(messageOf(e));
        return;
      }
      for (const line of lines) {
        if (stage === "busy") continue;
        try {
          const v = parseJsonLine(line);
          if (stage === "hello") {
            const hello = typeof v === "object" && v !== null ? v : {};
            if (!("type" in hello) || hello.type !== "hello") {
              throw new ProtocolError("expected hello first");
            }
            const version = "version" in hello ? hello.version : undefined;
            if (version !== PROTOCOL_VERSION) {
              throw new ProtocolError(
                `protocol version mismatch: daemon speaks ${PROTOCOL_VERSION}, client ${
                  String(version)
                }; stop that daemon with \`kill ${Deno.pid}\` (it stops its processes first) and retry`,
              );
            }
            out.send({
              type: "hello",
              version: PROTOCOL_VERSION,
              pid: Deno.pid,
              session: opts.session,
              warnings: opts.warnings(),
            });
            stage = "request";
            continue;
          }
          const req = decodeRequest(v);
          stage = "busy";
          const ctx = connContext(req, out, ac.signal, opts.log);
          running = opts.handler(req, ctx)
            .then(() => {
              if (ctx.replied || ac.signal.aborted) return;
              opts.log(`bug: the ${req.type} handler returned without a final reply`);
              ctx.fail("internal", `no reply to ${req.type}`);
            }, (e) => {
              opts.log(`${req.type} failed: ${e instanceof Error ? e.stack : String(e)}`);
              ctx.fail("internal", messageOf(e));
            })
            .then(() => out.flushed())
            .then(close);
        } catch (e) {
          await reject(e instanceof ProtocolError ? e.message : `bad request: ${messageOf(e)}`);
          return;
        }
      }
    }
  } catch (e) {
    if (!isDisconnect(e)) opts.log(`reading a request: ${messageOf(e)}`);
  }
  ac.abort();
  if (running) await running;
  else close();
}
