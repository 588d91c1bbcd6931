/**
 * The proxy's own pages, as pure functions from routes to text: the route list
 * at `http://localhost:PORT/` (HTML for browsers, plain text for curl), its JSON
 * form at `/_agent-procs/routes`, and the 502 pages for unknown, stopped and
 * unreachable processes. Each page is a `Page` (status, content type, body).
 */

import type { Route } from "./router.ts";
import { proxyUrl } from "./router.ts";
import type { StateName } from "../model.ts";

/** Path of the JSON route list on the proxy's own host. */
export const ROUTES_JSON_PATH = "/_agent-procs/routes";

/** A response the proxy generates itself. */
export interface Page {
  status: number;
  contentType: string;
  body: string;
}

/** Output flavour chosen from the request's `Accept` header. */
export type Flavour = "html" | "text";

/** One entry of the JSON route list. */
export interface RouteJson {
  name: string;
  state: StateName;
  port: number | null;
  url: string;
  /** True when the proxy forwards requests to it now (running with a port). */
  reachable: boolean;
}

/** The document served at `/_agent-procs/routes`. */
export interface RoutesJson {
  proxy_port: number;
  proxy_url: string;
  routes: RouteJson[];
}

/** Picks HTML when the client asks for `text/html` (browsers), else plain text (curl). */
export function flavourOf(accept: string | null): Flavour {
  return accept !== null && /\btext\/html\b/i.test(accept) ? "html" : "text";
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function indexUrl(proxyPort: number): string {
  return `http://localhost:${proxyPort}/`;
}

function sorted(routes: readonly Route[]): Route[] {
  return [...routes].sort((a, b) => a.name.localeCompare(b.name));
}

/** The JSON route list. */
export function routesJson(routes: readonly Route[], proxyPort: number): RoutesJson {
  return {
    proxy_port: proxyPort,
    proxy_url: `http://localhost:${proxyPort}`,
    routes: sorted(routes).map((r) => ({
      name: r.name,
      state: r.state,
      port: r.port,
      url: proxyUrl(r.name, proxyPort),
      reachable: r.state === "running" && r.port !== null,
    })),
  };
}

function textTable(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => i === r.length - 1 ? c : c.padEnd(widths[i])).join("  "));
}

/** The route list page, in the requested flavour. */
export function indexPage(routes: readonly Route[], proxyPort: number, flavour: Flavour): Page {
  const doc = routesJson(routes, proxyPort);
  if (flavour === "text") {
    const lines = [`agent-procs proxy on ${doc.proxy_url}`];
    if (doc.routes.length === 0) lines.push("no processes in this session");
    else {
      lines.push(
        ...textTable([
          ["NAME", "STATE", "PORT", "URL"],
          ...doc.routes.map((
            r,
          ) => [r.name, r.state, r.port === null ? "-" : String(r.port), r.url]),
        ]),
      );
    }
    lines.push(`JSON: ${doc.proxy_url}${ROUTES_JSON_PATH}`);
    return { status: 200, contentType: "text/plain; charset=utf-8", body: lines.join("\n") + "\n" };
  }
  const rows = doc.routes.map((r) =>
    `<tr><td>${
      r.reachable ? `<a href="${escapeHtml(r.url)}/">${escapeHtml(r.name)}</a>` : escapeHtml(r.name)
    }` +
    `</td><td class="${escapeHtml(r.state)}">${escapeHtml(r.state)}</td>` +
    `<td>${r.port ?? "-"}</td><td>${escapeHtml(r.url)}</td></tr>`
  );
  const table = rows.length === 0
    ? "<p>No processes in this session.</p>"
    : `<table><tr><th>Name</th><th>State</th><th>Port</th><th>URL</th></tr>${
      rows.join("")
    }</table>`;
  const body = htmlDoc(
    "agent-procs proxy",
    `<h1>agent-procs proxy on ${escapeHtml(doc.proxy_url)}</h1>${table}` +
      `<p><a href="${ROUTES_JSON_PATH}">JSON</a></p>`,
  );
  return { status: 200, contentType: "text/html; charset=utf-8", body };
}

function htmlDoc(title: string, inner: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    "<style>body{font-family:system-ui,sans-serif;margin:2em}td,th{padding:.2em 1em;text-align:left}" +
    ".running{color:green}.failed,.exited{color:#b00}</style></head>" +
    `<body>${inner}</body></html>\n`;
}

/** Why the proxy could not forward a request. */
export type Failure =
  | { kind: "unknown"; name: string }
  | { kind: "down"; name: string; state: StateName }
  | { kind: "noport"; name: string }
  | { kind: "refused"; name: string; port: number }
  | { kind: "upstream"; name: string; port: number; message: string };

/** The one-line explanation of a failure. */
export function failureMessage(f: Failure): string {
  switch (f.kind) {
    case "unknown":
      return `no process named "${f.name}" in this session`;
    case "down":
      return `process "${f.name}" is ${f.state}, not running`;
    case "noport":
      return `process "${f.name}" is running but has no port (it was started without --port or --proxy)`;
    case "refused":
      return `process "${f.name}" refused the connection on port ${f.port} ` +
        "(is it listening there yet?)";
    case "upstream":
      return `error talking to process "${f.name}" on port ${f.port}: ${f.message}`;
  }
}

/** The 502 page for a failure, pointing to the route list. */
export function errorPage(f: Failure, proxyPort: number, flavour: Flavour): Page {
  const msg = failureMessage(f);
  const list = indexUrl(proxyPort);
  if (flavour === "text") {
    return {
      status: 502,
      contentType: "text/plain; charset=utf-8",
      body: `502 Bad Gateway: ${msg}\nRoutes: ${list}\n`,
    };
  }
  const body = htmlDoc(
    "502 Bad Gateway",
    `<h1>502 Bad Gateway</h1><p>${escapeHtml(msg)}</p>` +
      `<p>See the <a href="${escapeHtml(list)}">list of routes</a>.</p>`,
  );
  return { status: 502, contentType: "text/html; charset=utf-8", body };
}

/** The 404 page for a path on the proxy's own host other than its pages. */
export function notFoundPage(path: string, proxyPort: number, flavour: Flavour): Page {
  const list = indexUrl(proxyPort);
  if (flavour === "text") {
    return {
      status: 404,
      contentType: "text/plain; charset=utf-8",
      body: `404 Not Found: ${path}\nRoutes: ${list}\n`,
    };
  }
  const body = htmlDoc(
    "404 Not Found",
    `<h1>404 Not Found</h1><p>${
      escapeHtml(path)
    }</p><p>See the <a href="/">list of routes</a>.</p>`,
  );
  return { status: 404, contentType: "text/html; charset=utf-8", body };
}
