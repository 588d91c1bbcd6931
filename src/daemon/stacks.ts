/**
 * Session-level services around the supervisor: config stacks (`up`/`down`),
 * port preparation and the proxy, and file watchers. This first version only
 * provides the hooks; stacks, ports and watchers plug in here.
 */

import type { ProcessSpec } from "../model.ts";
import type { SessionPaths } from "../paths.ts";
import type { ConnContext } from "./server.ts";
import type { Supervisor } from "./supervisor.ts";
import { Watching } from "./watching.ts";
import { startReadiness } from "./readiness.ts";

/** Session services of one daemon. */
export class Stacks {
  readonly #watching: Watching;

  constructor(
    readonly sup: Supervisor,
    readonly paths: SessionPaths,
    readonly log: (msg: string) => void,
  ) {
    this.#watching = new Watching(sup);
    sup.plugins = {
      onSpawned: (rec) => {
        this.#watching.ensure(rec);
        startReadiness(sup, rec);
      },
      onForget: (name) => this.#watching.remove(name),
    };
  }

  /** True while something other than a live process should keep the daemon up. */
  keepsAlive(): boolean {
    return this.#watching.canRevive();
  }

  /** Checks and completes a spec before it starts; returns an error message or null. */
  prepare(_spec: ProcessSpec): Promise<string | null> {
    return Promise.resolve(null);
  }

  /** The watcher problem of a process, if any. */
  watchError(name: string): string | null {
    return this.#watching.error(name);
  }

  /**
   * Starts the session's proxy when `wanted` (once; later calls reuse it).
   * Returns its URL, null when no proxy is wanted, or false after replying
   * with an error.
   */
  ensureProxy(
    wanted: boolean,
    _port: number | null,
    ctx: ConnContext,
  ): Promise<string | null | false> {
    if (!wanted) return Promise.resolve(null);
    ctx.send({ type: "error", code: "bad_request", message: "the proxy is not available yet" });
    return Promise.resolve(false);
  }

  /** Releases session services (proxy, watchers). */
  close(): Promise<void> {
    this.#watching.closeAll();
    return Promise.resolve();
  }
}
