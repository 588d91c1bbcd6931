/**
 * One port space per user: every port a process gets through agent-procs
 * (assigned or explicit) is leased in `ports/leases.json` under the user's
 * runtime directory, shared by every session (a directory of its own, so
 * nothing there looks like a session's socket, pid or lock file). Each change
 * happens under an exclusive lock on `ports/leases.lock` and is written
 * atomically (temp file + rename). A lease is dropped as soon as both its
 * daemon and its process are gone, so a daemon killed with SIGKILL leaves
 * nothing blocking; a leased process still alive keeps its lease. While its
 * daemon lives, a stopped process keeps its port from being assigned to
 * anyone else, but yields it to an explicit `--port`. The rules (which
 * leases live, who conflicts, the message) are pure; `PortLeases` is the thin
 * shell around the file.
 */

import { allocatePort, explicitPortError } from "../proxy/ports.ts";

/** One leased port. */
export interface Lease {
  port: number;
  session: string;
  /** Process name within the session. */
  name: string;
  /** The daemon that holds the lease. */
  daemonPid: number;
  /** The process (group leader) using the port, once spawned. */
  pid: number | null;
  /** ISO time of the lease. */
  at: string;
}

/** Decodes the registry file; anything malformed is skipped (a lost lease is better than none). Pure. */
export function decodeLeases(text: string): Lease[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return [];
  }
  const list = typeof v === "object" && v !== null && "leases" in v ? v.leases : null;
  if (!Array.isArray(list)) return [];
  const out: Lease[] = [];
  for (const l of list) {
    if (typeof l !== "object" || l === null) continue;
    const { port, session, name, daemonPid, pid, at } = l as Record<string, unknown>;
    if (
      typeof port === "number" && typeof session === "string" && typeof name === "string" &&
      typeof daemonPid === "number" && (pid === null || typeof pid === "number") &&
      typeof at === "string"
    ) {
      out.push({ port, session, name, daemonPid, pid, at });
    }
  }
  return out;
}

/** The leases whose daemon or process is still alive. Pure given `alive`. */
export function liveLeases(leases: Lease[], alive: (pid: number) => boolean): Lease[] {
  return leases.filter((l) => alive(l.daemonPid) || (l.pid !== null && alive(l.pid)));
}

/** The lease of `port` held by anyone but (`session`, `name`), or null. Pure. */
export function conflictOf(
  leases: Lease[],
  port: number,
  session: string,
  name: string,
): Lease | null {
  return leases.find((l) => l.port === port && !(l.session === session && l.name === name)) ??
    null;
}

/** `port 3000 is leased by process web of session feat-x (pid 4242)`. Pure. */
export function leaseMessage(l: Lease): string {
  const pid = l.pid !== null ? ` (pid ${l.pid})` : ` (daemon pid ${l.daemonPid})`;
  return `port ${l.port} is leased by process ${l.name} of session ${l.session}${pid}`;
}

/**
 * True when `pid` is a live process (not a zombie: a container's PID 1 may
 * never reap a killed daemon's children).
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (Deno.build.os === "linux") {
    try {
      const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
      return stat.charAt(stat.lastIndexOf(")") + 2) !== "Z";
    } catch {
      return false;
    }
  }
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/** Outcome of claiming a port. */
export type Claim = { ok: true; port: number } | { ok: false; message: string };

/** What a claim asks for. */
export interface ClaimRequest {
  name: string;
  /** An explicit port, or null to be given one from `range`. */
  port: number | null;
  /** For an explicit port: skip the "is anything listening" probe (our own live process holds it). */
  heldByUs: boolean;
  /** For an assigned port: try this one first (the name's previous port). */
  prefer: number | null;
  /** Ports this session uses already (never assigned twice). */
  taken: ReadonlySet<number>;
  range: { lo: number; hi: number };
}

/** The registry of one session's daemon. */
export class PortLeases {
  readonly #dir: string;
  readonly #file: string;
  readonly #lockFile: string;
  /** Names this daemon has leased a port for: only they have a lease of this daemon to drop. */
  readonly #mine = new Set<string>();

  constructor(
    runtimeDir: string,
    readonly session: string,
    readonly daemonPid: number = Deno.pid,
  ) {
    this.#dir = leaseDir(runtimeDir);
    this.#file = leasesFile(runtimeDir);
    this.#lockFile = `${this.#dir}/leases.lock`;
  }

  #ensureDir(): void {
    Deno.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
  }

  #read(): Lease[] {
    try {
      return liveLeases(decodeLeases(Deno.readTextFileSync(this.#file)), pidAlive);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return [];
      throw e;
    }
  }

  #write(leases: Lease[]): void {
    const tmp = `${this.#file}.${Deno.pid}.tmp`;
    Deno.writeTextFileSync(tmp, JSON.stringify({ version: 1, leases }), { mode: 0o600 });
    Deno.renameSync(tmp, this.#file);
  }

  /** Runs `fn` on the live leases under the lock; it returns the leases to keep and a value. */
  async #locked<T>(fn: (leases: Lease[]) => Promise<[Lease[] | null, T]>): Promise<T> {
    this.#ensureDir();
    const lock = await Deno.open(this.#lockFile, { create: true, write: true, mode: 0o600 });
    try {
      await lock.lock(true);
      const [next, value] = await fn(this.#read());
      if (next) this.#write(next);
      return value;
    } finally {
      lock.close();
    }
  }

  #lease(name: string, port: number, pid: number | null): Lease {
    const at = new Date().toISOString();
    return { port, session: this.session, name, daemonPid: this.daemonPid, pid, at };
  }

  #others(leases: Lease[], name: string): Lease[] {
    return leases.filter((l) => !(l.session === this.session && l.name === name));
  }

  /**
   * Leases a port for `req.name`: an explicit one unless another lease or
   * another program holds it, or the first free port of the range no lease
   * holds. Replaces the name's previous lease.
   */
  claim(req: ClaimRequest): Promise<Claim> {
    return this.#locked(async (leases): Promise<[Lease[] | null, Claim]> => {
      let others = this.#others(leases, req.name);
      let port = req.port;
      if (port !== null) {
        // A lease whose process has stopped (its daemon lives on) yields to an explicit claim.
        const inUse = leases.filter((l) => l.pid === null || pidAlive(l.pid));
        const held = conflictOf(inUse, port, this.session, req.name);
        if (held) return [null, { ok: false, message: leaseMessage(held) }];
        const p = port;
        others = others.filter((l) => l.port !== p);
        const err = req.heldByUs ? null : await explicitPortError(port);
        if (err) return [null, { ok: false, message: err }];
      } else {
        const taken = new Set([...req.taken, ...others.map((l) => l.port)]);
        const { lo, hi } = req.range;
        const first = req.prefer !== null && req.prefer >= lo && req.prefer <= hi
          ? req.prefer
          : undefined;
        port = await allocatePort(lo, hi, taken, first);
        if (port === null) {
          return [null, { ok: false, message: `no free port left in ${lo}-${hi}` }];
        }
      }
      this.#mine.add(req.name);
      return [[...others, this.#lease(req.name, port, null)], { ok: true, port }];
    });
  }

  /** Records the pid using a name's port (after each spawn); leases the port if it had none. */
  spawned(name: string, port: number, pid: number): Promise<string | null> {
    return this.#locked((leases): Promise<[Lease[] | null, string | null]> => {
      const held = conflictOf(leases, port, this.session, name);
      if (held) return Promise.resolve([null, leaseMessage(held)]);
      this.#mine.add(name);
      return Promise.resolve([[...this.#others(leases, name), this.#lease(name, port, pid)], null]);
    });
  }

  /** The port a name leases now (live or not yet dropped), or null. */
  async portOf(name: string): Promise<number | null> {
    const all = await this.list();
    return all.find((l) => l.session === this.session && l.name === name)?.port ?? null;
  }

  /**
   * Drops a name's lease (the process was forgotten). A name this daemon never
   * leased a port for costs nothing (a `down` of 300 port-less processes took
   * the registry's lock and rewrote it 300 times); a lease of an earlier daemon
   * of the session is not live any more once that daemon and its process are gone.
   */
  release(name: string): Promise<void> {
    if (!this.#mine.delete(name)) return Promise.resolve();
    return this.#locked((leases) => {
      const others = this.#others(leases, name);
      return Promise.resolve<[Lease[] | null, void]>([
        others.length === leases.length ? null : others,
        undefined,
      ]);
    });
  }

  /** Drops every lease of this daemon, synchronously (at daemon exit). */
  releaseAllSync(): void {
    this.#ensureDir();
    const lock = Deno.openSync(this.#lockFile, { create: true, write: true, mode: 0o600 });
    try {
      lock.lockSync(true);
      this.#write(
        this.#read().filter((l) => l.session !== this.session || l.daemonPid !== this.daemonPid),
      );
    } finally {
      lock.close();
    }
  }

  /** Every live lease of the user. */
  list(): Promise<Lease[]> {
    return this.#locked((leases) => Promise.resolve<[null, Lease[]]>([null, leases]));
  }
}

/** The directory of the lease registry under a runtime directory. */
export function leaseDir(runtimeDir: string): string {
  return `${runtimeDir}/ports`;
}

/** The registry file under a runtime directory. */
export function leasesFile(runtimeDir: string): string {
  return `${leaseDir(runtimeDir)}/leases.json`;
}

/** Every live lease of the user, read from `runtimeDir` (for `port N`, no daemon needed). */
export async function readLeases(runtimeDir: string): Promise<Lease[]> {
  try {
    return liveLeases(decodeLeases(await Deno.readTextFile(leasesFile(runtimeDir))), pidAlive);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}
