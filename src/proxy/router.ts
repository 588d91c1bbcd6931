/**
 * Pure routing for the session proxy: which process a request's `Host` header
 * names, and whether that process can take traffic now. `web.localhost:9090`
 * and `x.web.localhost:9090` both go to the process `web` (case-insensitive);
 * `localhost`, `127.0.0.1` and `[::1]` are the proxy's own pages. No I/O here.
 */

import type { StateName } from "../model.ts";

/** One process as the proxy sees it, read fresh for every request. */
export interface Route {
  /** Process name (a DNS label when the proxy is on). */
  name: string;
  /** Port the process listens on, or null when it has none. */
  port: number | null;
  /** Current lifecycle state; only `running` receives traffic. */
  state: StateName;
  /**
   * True to capture the browser console of this process's pages: the proxy
   * injects its script into HTML responses and answers `/_agent-procs/*`.
   */
  browserLogs?: boolean;
}

/** What to do with a request, decided from its `Host` header alone. */
export type RouteDecision =
  /** The proxy's own pages (route list, JSON). */
  | { kind: "index" }
  /** Forward to `127.0.0.1:port` (`browserLogs` only when the route has it on). */
  | { kind: "forward"; name: string; port: number; browserLogs?: true }
  /** No process of that name in the session (or a host that is not ours). */
  | { kind: "unknown"; name: string }
  /** The process exists but is not running. */
  | { kind: "down"; name: string; state: StateName }
  /** The process runs but has no port to forward to. */
  | { kind: "noport"; name: string };

/** Host names that show the proxy's own pages. */
const INDEX_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

const SUFFIX = ".localhost";

/**
 * Returns the lower-cased host name of a `Host` header value, without the port
 * and without a trailing dot (`Web.LocalHost.:9090` -> `web.localhost`).
 * IPv6 literals keep their brackets (`[::1]:80` -> `[::1]`).
 */
export function hostName(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end === -1 ? h : h.slice(0, end + 1);
  }
  const colon = h.lastIndexOf(":");
  if (colon !== -1 && /^\d*$/.test(h.slice(colon + 1))) h = h.slice(0, colon);
  while (h.endsWith(".")) h = h.slice(0, -1);
  return h;
}

/**
 * The process name a host addresses: the label right before `.localhost`
 * (`a.b.web.localhost` -> `web`), or null when the host is not under
 * `.localhost`.
 */
export function nameOfHost(hostname: string): string | null {
  if (!hostname.endsWith(SUFFIX)) return null;
  const labels = hostname.slice(0, -SUFFIX.length).split(".");
  const name = labels[labels.length - 1];
  return name === "" ? null : name;
}

/** Decides where a request goes, from its `Host` header and the current routes. */
export function routeFor(host: string | null, routes: readonly Route[]): RouteDecision {
  if (host === null || host.trim() === "") return { kind: "index" };
  const hostname = hostName(host);
  if (INDEX_HOSTS.has(hostname)) return { kind: "index" };
  const wanted = nameOfHost(hostname);
  if (wanted === null) return { kind: "unknown", name: hostname };
  const route = routes.find((r) => r.name.toLowerCase() === wanted);
  if (!route) return { kind: "unknown", name: wanted };
  if (route.state !== "running") return { kind: "down", name: route.name, state: route.state };
  if (route.port === null) return { kind: "noport", name: route.name };
  return route.browserLogs === true
    ? { kind: "forward", name: route.name, port: route.port, browserLogs: true }
    : { kind: "forward", name: route.name, port: route.port };
}

const LABEL_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Checks that a process name can be a host name label under the proxy.
 * Returns an error message (with a suggested name where one exists) or null.
 */
export function validateProxyName(name: string): string | null {
  if (LABEL_RE.test(name)) return null;
  const suggestion = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "")
    .slice(0, 63).replace(/-+$/, "");
  const hint = suggestion !== "" && suggestion !== name
    ? ` (for example ${JSON.stringify(suggestion)})`
    : "";
  return `process name ${JSON.stringify(name)} cannot be used with the proxy: ` +
    "a proxied name must be a DNS label of 1-63 letters, digits or '-', " +
    `not starting or ending with '-'${hint}`;
}

/** The URL through which the proxy on `proxyPort` reaches process `name`. */
export function proxyUrl(name: string, proxyPort: number): string {
  return `http://${name}.localhost:${proxyPort}`;
}
