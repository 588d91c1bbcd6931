/**
 * Connections from the proxy to backends: a keep-alive pool of idle TCP
 * connections per port (closed after a few idle seconds, before a backend's
 * own idle timeout usually fires), each with its buffer of unread bytes, and
 * the loopback address (IPv4 or IPv6) each backend port answered on.
 */

/** A loopback address a backend may listen on. */
export type Family = "127.0.0.1" | "::1";

/** How long an idle connection stays in the pool. */
const IDLE_MS = 4_000;

/** Most idle connections kept per port. */
const MAX_IDLE_PER_PORT = 64;

const READ_SIZE = 64 * 1024;

/** One connection to a backend and the bytes read from it but not yet used. */
export class Upconn {
  /** Unread bytes (owned; never mutated in place, so views of it stay valid). */
  buf: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  /** Changes every time the connection is handed out, so stale owners cannot close it. */
  lease = 0;
  closed = false;
  /** Read buffer; bytes read into it stay valid only until the next read. */
  readonly scratch: Uint8Array<ArrayBuffer> = new Uint8Array(READ_SIZE);

  constructor(readonly conn: Deno.TcpConn, readonly port: number) {}

  /** Reads more bytes into `buf`; false at end of stream. Throws on a broken connection. */
  async fill(): Promise<boolean> {
    const n = await this.conn.read(this.scratch);
    if (n === null) return false;
    if (this.buf.length === 0) this.buf = this.scratch.slice(0, n);
    else {
      const joined = new Uint8Array(this.buf.length + n);
      joined.set(this.buf);
      joined.set(this.scratch.subarray(0, n), this.buf.length);
      this.buf = joined;
    }
    return true;
  }

  /** Removes and returns all unread bytes. */
  next(): Uint8Array {
    const out = this.buf;
    this.buf = new Uint8Array(0);
    return out;
  }

  /** Removes and returns the first `n` unread bytes (a view, safe to hand out). */
  take(n: number): Uint8Array<ArrayBuffer> {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Writes all of `data`. */
  async write(data: Uint8Array): Promise<void> {
    let off = 0;
    while (off < data.length) off += await this.conn.write(data.subarray(off));
  }

  /** Closes the connection (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }
}

/** Outcome of getting a connection. */
export type Acquired =
  | { kind: "conn"; up: Upconn; reused: boolean }
  | { kind: "refused" }
  | { kind: "error"; message: string };

interface Idle {
  up: Upconn;
  /** When it went idle (ms since epoch). */
  since: number;
}

/** True when something accepts TCP connections on `hostname:port`. */
export async function listens(hostname: string, port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname, port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/** Keep-alive connections to the backends of one proxy. */
export class UpstreamPool {
  readonly #idle = new Map<number, Idle[]>();
  #sweeper: ReturnType<typeof setInterval> | null = null;
  readonly #active = new Set<Upconn>();
  readonly #address = new Map<number, Family>();
  #closed = false;
  #leases = 0;

  /** The loopback address that last answered on `port` (IPv4 until shown otherwise). */
  addressFor(port: number): Family {
    return this.#address.get(port) ?? "127.0.0.1";
  }

  /** Remembers which loopback address a backend on `port` listens on. */
  remember(port: number, address: Family): void {
    if (address === "127.0.0.1") this.#address.delete(port);
    else this.#address.set(port, address);
  }

  /** An idle pooled connection to `port` that is fresh enough, lent out, or null (no I/O). */
  takeIdle(port: number): Upconn | null {
    const idle = this.#idle.get(port);
    if (idle === undefined || this.#closed) return null;
    const now = Date.now();
    for (let pooled = idle.pop(); pooled; pooled = idle.pop()) {
      if (now - pooled.since < IDLE_MS) return this.#lend(pooled.up);
      pooled.up.close();
    }
    return null;
  }

  /** An idle pooled connection to `port`, or a new one (trying the other loopback address if refused). */
  async acquire(port: number): Promise<Acquired> {
    if (this.#closed) return { kind: "error", message: "the proxy is shutting down" };
    const idle = this.#idle.get(port);
    const now = Date.now();
    for (let pooled = idle?.pop(); pooled; pooled = idle?.pop()) {
      if (now - pooled.since < IDLE_MS) {
        return { kind: "conn", up: this.#lend(pooled.up), reused: true };
      }
      pooled.up.close();
    }
    const first = this.addressFor(port);
    for (const hostname of [first, first === "127.0.0.1" ? "::1" : "127.0.0.1"] as Family[]) {
      try {
        const conn = await Deno.connect({ hostname, port });
        conn.setNoDelay(true);
        if (hostname !== first) this.remember(port, hostname);
        return { kind: "conn", up: this.#lend(new Upconn(conn, port)), reused: false };
      } catch (e) {
        if (e instanceof Deno.errors.ConnectionRefused) continue;
        return { kind: "error", message: e instanceof Error ? e.message : String(e) };
      }
    }
    return { kind: "refused" };
  }

  #lend(up: Upconn): Upconn {
    up.lease = ++this.#leases;
    this.#active.add(up);
    return up;
  }

  /** Gives a connection back: pooled if `reusable` (and clean), else closed. */
  release(up: Upconn, reusable: boolean): void {
    this.#active.delete(up);
    up.lease = 0;
    const idle = this.#idle.get(up.port) ?? [];
    if (
      !reusable || up.closed || this.#closed || up.buf.length > 0 ||
      idle.length >= MAX_IDLE_PER_PORT
    ) {
      up.close();
      return;
    }
    idle.push({ up, since: Date.now() });
    this.#idle.set(up.port, idle);
    if (this.#sweeper === null) {
      this.#sweeper = setInterval(() => this.#sweep(), IDLE_MS / 2);
      Deno.unrefTimer(Number(this.#sweeper));
    }
  }

  /** Closes connections idle for too long. */
  #sweep(): void {
    const now = Date.now();
    for (const [port, list] of this.#idle) {
      const keep = list.filter((e) => now - e.since < IDLE_MS);
      for (const e of list) if (!keep.includes(e)) e.up.close();
      if (keep.length > 0) this.#idle.set(port, keep);
      else this.#idle.delete(port);
    }
    if (this.#idle.size === 0 && this.#sweeper !== null) {
      clearInterval(this.#sweeper);
      this.#sweeper = null;
    }
  }

  /** Closes every connection, idle or in use (ending any streaming body). */
  close(): void {
    this.#closed = true;
    if (this.#sweeper !== null) clearInterval(this.#sweeper);
    this.#sweeper = null;
    for (const list of this.#idle.values()) for (const { up } of list) up.close();
    this.#idle.clear();
    for (const up of this.#active) up.close();
    this.#active.clear();
  }
}
