/**
 * The session's services around the supervisor: spec preparation (ports,
 * proxy), the proxy itself, file watchers and readiness checks. Watchers and
 * readiness hook into the supervisor's spawn/forget notices; the services
 * return values and never talk to a client.
 */

import type { ProcessSpec } from "../model.ts";
import { type Prepared, prepareSpec } from "./prepare.ts";
import { startReadiness } from "./readiness.ts";
import { type ProxyStart, SessionProxy } from "./session_proxy.ts";
import type { Supervisor } from "./supervisor.ts";
import type { PortLeases } from "../ports/leases.ts";
import { hasProcessGroup } from "./lifecycle.ts";
import { messageOf } from "../errors.ts";
import { Watching } from "./watching.ts";
import { UsageSampler } from "./usage.ts";
import { IdleTtl } from "./ttl.ts";

/** Session services of one daemon. */
export class SessionServices {
  readonly #watching: Watching;
  readonly #proxy: SessionProxy;
  readonly #offs: (() => void)[];
  #prepared: Promise<unknown> = Promise.resolve();
  /** Samples listening ports, CPU and memory of status rows when asked. */
  readonly usage = new UsageSampler();
  /** The session's idle TTL (main.ts wires what expiry does). */
  readonly ttl = new IdleTtl();

  constructor(
    private readonly sup: Supervisor,
    log: (msg: string) => void,
    private readonly leases: PortLeases | null = null,
  ) {
    this.#watching = new Watching(sup);
    this.#proxy = new SessionProxy(sup, log);
    this.#offs = [
      sup.onSpawned((rec) => {
        this.#watching.ensure(rec);
        startReadiness(sup, rec);
        this.#leaseSpawned(rec.spec.name, log);
      }),
      sup.onForget((name) => {
        this.#watching.remove(name);
        leases?.release(name).catch((e) => log(`port lease of ${name}: ${messageOf(e)}`));
      }),
    ];
  }

  /** Records the pid on the name's port lease (and leases a port revived without `prepare`). */
  #leaseSpawned(name: string, log: (msg: string) => void): void {
    const rec = this.sup.get(name);
    if (!this.leases || !rec || rec.spec.port === null || !hasProcessGroup(rec.phase)) return;
    this.leases.spawned(name, rec.spec.port, rec.phase.pid).then((problem) => {
      if (problem) this.sup.annotate(name, `Port lease: ${problem}`);
    }, (e) => log(`port lease of ${name}: ${messageOf(e)}`));
  }

  /**
   * Checks and completes a spec before it starts (ports, proxy); see
   * `prepareSpec`. Calls are served one after another, in the order they
   * came: leasing a port waits on a file lock, and processes must still start
   * (and be listed) in the order they were asked for.
   */
  prepare(spec: ProcessSpec): Promise<Prepared> {
    const next = this.#prepared.then(() =>
      prepareSpec(this.sup, spec, () => this.#proxy.ensure(null), this.leases)
    );
    this.#prepared = next.catch(() => undefined);
    return next;
  }

  /** Starts the session's proxy (on `port` when given) unless it runs. */
  ensureProxy(port: number | null): Promise<ProxyStart> {
    return this.#proxy.ensure(port);
  }

  /** True while something other than a live process should keep the daemon up. */
  keepsAlive(): boolean {
    return this.#watching.canRevive();
  }

  /** Releases the services (watchers, proxy). */
  async close(): Promise<void> {
    for (const off of this.#offs) off();
    this.ttl.close();
    this.#watching.closeAll();
    await this.#proxy.close();
  }

  /** Drops this daemon's port leases (at exit; synchronous so it happens before the socket goes). */
  releaseLeases(log: (msg: string) => void): void {
    try {
      this.leases?.releaseAllSync();
    } catch (e) {
      log(`cannot release port leases: ${messageOf(e)}`);
    }
  }
}
