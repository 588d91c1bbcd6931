/**
 * Session-level services around the supervisor: preparing a spec before it
 * starts (explicit port checks, port assignment, the session's proxy), file
 * watchers, and readiness checks at every spawn.
 */

import type { ProcessSpec } from "../model.ts";
import type { SessionPaths } from "../paths.ts";
import type { ConnContext } from "./server.ts";
import type { Supervisor } from "./supervisor.ts";
import { Watching } from "./watching.ts";
import { startReadiness } from "./readiness.ts";
import { isLive, stateName } from "./lifecycle.ts";
import type { ProxyHandle } from "../proxy/server.ts";
import { validateProxyName } from "../proxy/router.ts";
import { allocatePort, APP_PORT_RANGE, explicitPortError } from "../proxy/ports.ts";

/** Result of preparing a spec. */
export type Prepared = { ok: true; spec: ProcessSpec } | { ok: false; message: string };

/** Session services of one daemon. */
export class Stacks {
  readonly #watching: Watching;
  #proxy: ProxyHandle | null = null;
  #proxyStarting: Promise<ProxyHandle> | null = null;

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

  /**
   * Checks and completes a spec before it starts: a DNS-label name and a port
   * (a free one from 4000-4999 unless given) when it goes through the proxy,
   * `PORT`/`HOST` injected under the user's own env, an explicit port that
   * another program holds refused, and the session's proxy started.
   */
  async prepare(spec: ProcessSpec, ctx: ConnContext | null): Promise<Prepared> {
    let port = spec.port;
    if (spec.proxy) {
      const bad = validateProxyName(spec.name);
      if (bad) return { ok: false, message: bad };
    }
    const mine = this.sup.get(spec.name);
    const heldByUs = !!mine && isLive(mine.phase) && mine.spec.port === port;
    if (port !== null && !heldByUs) {
      const err = await explicitPortError(port);
      if (err) return { ok: false, message: err };
    }
    if (port === null && spec.proxy) {
      const taken = new Set(
        this.sup.list().map((r) => r.spec.port).filter((p): p is number => p !== null),
      );
      port = await allocatePort(APP_PORT_RANGE.lo, APP_PORT_RANGE.hi, taken);
      if (port === null) return { ok: false, message: "no free port left in 4000-4999" };
    }
    let env = spec.env;
    if (port !== null && port !== spec.port) {
      env = { ...spec.env, PORT: String(port), HOST: "127.0.0.1", ...spec.userEnv };
    }
    if (spec.proxy) {
      const url = await this.ensureProxy(true, null, ctx);
      if (url === false) return { ok: false, message: "the proxy could not start" };
    }
    return { ok: true, spec: { ...spec, port, env } };
  }

  /** The watcher problem of a process, if any. */
  watchError(name: string): string | null {
    return this.#watching.error(name);
  }

  /** Routes for the proxy: every proxied process with a port. */
  #routes() {
    return this.sup.list().filter((r) => r.spec.proxy).map((r) => ({
      name: r.spec.name,
      port: r.spec.port,
      state: stateName(r.phase),
    }));
  }

  /**
   * Starts the session's proxy when `wanted` (once; later calls reuse it, on
   * whatever port it got) and tells the client where it listens. Returns its
   * URL, null when no proxy is wanted, or false after replying with an error.
   */
  async ensureProxy(
    wanted: boolean,
    port: number | null,
    ctx: ConnContext | null,
  ): Promise<string | null | false> {
    if (!wanted) return null;
    if (!this.#proxy) {
      if (!this.#proxyStarting) {
        const { startProxy } = await import("../proxy/server.ts");
        // Prefer the port this session's proxy had before, so URLs stay the same.
        const preferred = port ?? this.sup.proxyPort;
        this.#proxyStarting = startProxy({ port: preferred, routes: () => this.#routes() }).catch(
          (e) => {
            if (port === null && preferred !== null) {
              return startProxy({
                port: null,
                routes: () => this.#routes(),
              });
            }
            throw e;
          },
        );
      }
      try {
        this.#proxy = await this.#proxyStarting;
        this.sup.proxyPort = this.#proxy.port;
        this.sup.saveNow();
        this.log(`proxy listening on ${this.#proxy.url}`);
      } catch (e) {
        this.#proxyStarting = null;
        ctx?.send({
          type: "error",
          code: "failed",
          message: `cannot start the proxy: ${(e as Error).message}`,
        });
        return false;
      }
    }
    ctx?.send({ type: "note", text: `Proxy listening on ${this.#proxy.url}` });
    return this.#proxy.url;
  }

  /** Releases session services (proxy, watchers). */
  async close(): Promise<void> {
    this.#watching.closeAll();
    await this.#proxy?.close();
  }
}
