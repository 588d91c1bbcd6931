/**
 * The session's reverse proxy: started on first need (once; later calls reuse
 * it, on whatever port it got), preferring the port this session's proxy had
 * before so URLs stay the same. Its port is recorded through the supervisor.
 * Loaded lazily: a session without proxied processes never imports it.
 */

import { messageOf } from "../errors.ts";
import type { ProxyHandle } from "../proxy/server.ts";
import type { BrowserSink } from "../proxy/browser_line.ts";
import { stateName } from "./lifecycle.ts";
import type { Supervisor } from "./supervisor.ts";
import { lazy } from "../lazy.ts";

/** Result of starting (or reusing) the proxy: its URL, or why it could not start. */
export type ProxyStart = { ok: true; url: string } | { ok: false; message: string };

/** The proxy of one daemon. */
export class SessionProxy {
  #proxy: ProxyHandle | null = null;
  #starting: Promise<ProxyHandle> | null = null;

  constructor(private readonly sup: Supervisor, private readonly log: (msg: string) => void) {}

  /** Starts the proxy (on `port` when given) unless it runs; returns its URL or the failure. */
  async ensure(port: number | null): Promise<ProxyStart> {
    if (!this.#proxy) {
      this.#starting ??= this.#start(port);
      try {
        this.#proxy = await this.#starting;
      } catch (e) {
        this.#starting = null;
        return { ok: false, message: `cannot start the proxy: ${messageOf(e)}` };
      }
      this.sup.setProxyPort(this.#proxy.port);
      this.log(`proxy listening on ${this.#proxy.url}`);
    }
    return { ok: true, url: this.#proxy.url };
  }

  async #start(port: number | null): Promise<ProxyHandle> {
    const { startProxy } = await lazy("proxy/server.ts");
    const routes = () => this.#routes();
    const onBrowserLines: BrowserSink = (name, lines) => this.sup.browserLines(name, lines);
    const preferred = port ?? this.sup.proxyPort;
    try {
      return await startProxy({ port: preferred, routes, onBrowserLines });
    } catch (e) {
      // The remembered port is taken: another free one will do (a port the user asked for must be honoured).
      if (port === null && preferred !== null) {
        return await startProxy({ port: null, routes, onBrowserLines });
      }
      throw e;
    }
  }

  /** Routes for the proxy: every proxied process with a port. */
  #routes() {
    return this.sup.list().filter((r) => r.spec.proxy).map((r) => ({
      name: r.spec.name,
      port: r.spec.port,
      state: stateName(r.phase),
      browserLogs: r.spec.browserLogs,
    }));
  }

  /** Stops the proxy. */
  async close(): Promise<void> {
    await this.#proxy?.close();
  }
}
