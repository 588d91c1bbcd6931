/**
 * Preparing a spec before it starts: a DNS-label name and a port (a free one
 * from 4000-4999 unless given) when it goes through the proxy, `PORT`/`HOST`
 * injected under the user's own env, an explicit port that another program
 * holds or another process leases refused (the user-wide lease registry,
 * `src/ports/leases.ts`, when the daemon has one), the marker
 * `AGENT_PROCS_SESSION`/`AGENT_PROCS_NAME` set, and the session's proxy
 * started. Returns a value; the
 * handler decides what to tell the client.
 */

import type { ProcessSpec } from "../model.ts";
import { validateProxyName } from "../proxy/router.ts";
import { allocatePort, APP_PORT_RANGE, explicitPortError } from "../proxy/ports.ts";
import { isLive } from "./lifecycle.ts";
import type { ProxyStart } from "./session_proxy.ts";
import type { Supervisor } from "./supervisor.ts";
import type { PortLeases } from "../ports/leases.ts";

/**
 * Result of preparing a spec: the completed spec (and the proxy URL when it
 * uses it), or why not (`bad_request`: the spec or its port; `failed`: the
 * proxy could not start).
 */
export type Prepared =
  | { ok: true; spec: ProcessSpec; proxyUrl: string | null }
  | { ok: false; code: "bad_request" | "failed"; message: string };

/** Checks and completes `spec`; `ensureProxy` starts the session's proxy when it is needed. */
export async function prepareSpec(
  sup: Supervisor,
  spec: ProcessSpec,
  ensureProxy: () => Promise<ProxyStart>,
  leases: PortLeases | null = null,
  session: string | null = leases?.session ?? null,
): Promise<Prepared> {
  let port = spec.port;
  if (spec.proxy) {
    const bad = validateProxyName(spec.name);
    if (bad) return { ok: false, code: "bad_request", message: bad };
  }
  const mine = sup.get(spec.name);
  const heldByUs = !!mine && isLive(mine.phase) && mine.spec.port === port;
  if (leases && (port !== null || spec.proxy)) {
    const taken = new Set(
      sup.list().filter((r) => r.spec.name !== spec.name).map((r) => r.spec.port)
        .filter((p): p is number => p !== null),
    );
    const claim = await leases.claim({
      name: spec.name,
      port,
      heldByUs,
      prefer: mine?.spec.port ?? await leases.portOf(spec.name),
      taken,
      range: APP_PORT_RANGE,
    });
    if (!claim.ok) return { ok: false, code: "bad_request", message: claim.message };
    port = claim.port;
  } else {
    if (port !== null && !heldByUs) {
      const err = await explicitPortError(port);
      if (err) return { ok: false, code: "bad_request", message: err };
    }
    if (port === null && spec.proxy) {
      const taken = new Set(
        sup.list().map((r) => r.spec.port).filter((p): p is number => p !== null),
      );
      port = await allocatePort(APP_PORT_RANGE.lo, APP_PORT_RANGE.hi, taken);
      if (port === null) {
        return { ok: false, code: "bad_request", message: "no free port left in 4000-4999" };
      }
    }
  }
  let env = spec.env;
  if (port !== null && port !== spec.port) {
    env = { ...spec.env, PORT: String(port), HOST: "127.0.0.1", ...spec.userEnv };
  }
  // The marker `session clean` and `port` recognise agent-procs children by.
  if (session !== null) env = { ...env, AGENT_PROCS_SESSION: session, AGENT_PROCS_NAME: spec.name };
  let proxyUrl: string | null = null;
  if (spec.proxy) {
    const proxy = await ensureProxy();
    if (!proxy.ok) return { ok: false, code: "failed", message: proxy.message };
    proxyUrl = proxy.url;
  }
  return { ok: true, spec: { ...spec, port, env }, proxyUrl };
}
