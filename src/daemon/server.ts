/**
 * The daemon's socket server: accepts connections, runs the hello/version
 * handshake, decodes one request per connection and hands it to a handler.
 * Malformed or oversized input gets an `error` reply and the connection is
 * closed; the daemon itself never goes down because of what a client sends.
 */

import {
  decodeRequest,
  encodeLine,
  LineSplitter,
  parseJsonLine,
  PROTOCOL_VERSION,
  ProtocolError,
  type Reply,
  type Request,
} from "../protocol.ts";

/** Bytes a slow reader may have queued before its connection is dropped. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** What a handler gets for talking back to its client. */
export interface ConnContext {
  /** Sends one message (queued; never blocks the caller). */
  send(msg: Reply): void;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** Handles one decoded request; resolves when the final reply has been sent. */
export type Handler = (req: Request, ctx: ConnContext) => Promise<void>;

/** Serializes writes to a connection, dropping it when the reader falls too far behind. */
class ConnWriter {
  #chain: Promise<void> = Promise.resolve();
  #queued = 0;
  #closed = false;
  constructor(private conn: Deno.Conn, private onDead: () => void) {}

  send(msg: Reply): void {
    if (this.#closed) return;
    const bytes = encodeLine(msg);
    this.#queued += bytes.length;
    if (this.#queued > MAX_QUEUED_BYTES) {
      this.#closed = true;
      this.onDead();
      return;
    }
    this.#chain = this.#chain.then(async () => {
      if (this.#closed) return;
      try {
        let off = 0;
        while (off < bytes.length) off += await this.conn.write(bytes.subarray(off));
      } catch {
        this.#closed = true;
        this.onDead();
      }
      this.#queued -= bytes.length;
    });
  }

  /** Resolves once everything queued has been written. */
  flushed(): Promise<void> {
    return this.#chain;
  }
}

/** Counts open connections (the daemon stays up while any is open). */
export interface ServerStats {
  active: number;
}

/** Serves connections until the listener is closed. */
export async function serve(
  listener: Deno.Listener,
  handler: Handler,
  stats: ServerStats,
  session: string,
  onConnChange: () => void,
): Promise<void> {
  for (;;) {
    let conn: Deno.Conn;
    try {
      conn = await listener.accept();
    } catch {
      return; // listener closed
    }
    stats.active++;
    onConnChange();
    handleConn(conn, handler, session).finally(() => {
      stats.active--;
      onConnChange();
    });
  }
}

async function handleConn(conn: Deno.Conn, handler: Handler, session: string): Promise<void> {
  const ac = new AbortController();
  const close = () => {
    ac.abort();
    try {
      conn.close();
    } catch {
      // already closed
    }
  };
  const out = new ConnWriter(conn, close);
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
        await reject((e as Error).message);
        return;
      }
      for (const line of lines) {
        if (stage === "busy") continue;
        try {
          const v = parseJsonLine(line);
          if (stage === "hello") {
            const hello = v as { type?: unknown; version?: unknown };
            if (hello?.type !== "hello") throw new ProtocolError("expected hello first");
            if (hello.version !== PROTOCOL_VERSION) {
              throw new ProtocolError(
                `protocol version mismatch: daemon speaks ${PROTOCOL_VERSION}, client ${
                  String(hello.version)
                }; stop the old daemon (agent-procs stop-all) and retry`,
              );
            }
            out.send({
              type: "hello",
              version: PROTOCOL_VERSION,
              pid: Deno.pid,
              session,
              warnings: [],
            });
            stage = "request";
            continue;
          }
          const req = decodeRequest(v);
          stage = "busy";
          running = handler(req, { send: (m) => out.send(m), signal: ac.signal })
            .catch((e) => {
              out.send({ type: "error", code: "internal", message: (e as Error).message });
            })
            .then(() => out.flushed())
            .then(close);
        } catch (e) {
          await reject(
            e instanceof ProtocolError ? e.message : `bad request: ${(e as Error).message}`,
          );
          return;
        }
      }
    }
  } catch {
    // connection reset
  }
  ac.abort();
  if (running) await running;
  else close();
}
