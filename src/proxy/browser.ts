/**
 * The browser-console capture as the proxy's request handler sees it: the
 * reserved paths on process hosts (`/_agent-procs/capture.js`,
 * `/_agent-procs/console`) and the injection into HTML responses of routes
 * with `browserLogs`. `server.ts` calls it at three points and nothing else
 * changes for routes without browser logs (one method compare per request).
 * Reasons a page could not get the script are said once per process and
 * reason, as a `warn` line in that process's browser log.
 */

import type { BrowserSink } from "./browser_line.ts";
import { CAPTURE_JS } from "./capture_script.ts";
import { ConsoleIntake } from "./console_intake.ts";
import { planCsp } from "./csp.ts";
import { injectDecision, reservedPath, scriptTag } from "./inject.ts";
import { injectResponse } from "./inject_stream.ts";
import { hostName } from "./router.ts";

const encoder = new TextEncoder();
const CAPTURE_BYTES = encoder.encode(CAPTURE_JS);
const PLAIN_TAG = encoder.encode(scriptTag(null));

function notFound(): Response {
  return new Response("404 browser logs are not on for this host\n", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

function newNonce(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...b));
}

function portOf(host: string, fallback: number): number {
  const m = /:(\d+)$/.exec(host.trim());
  return m === null ? fallback : Number(m[1]);
}

/** Per-proxy state of the capture: the console intake and the once-said notes. */
export class BrowserCapture {
  #intake: ConsoleIntake;
  #noted = new Set<string>();

  constructor(private readonly sink: BrowserSink | undefined) {
    this.#intake = new ConsoleIntake(sink);
  }

  /**
   * For a host whose route is unknown, down, without a port, or without
   * browser logs: a 404 for a `POST` to the console path, else null
   * (the request goes its usual way). Costs one compare for other methods.
   */
  refuse(req: Request): Response | null {
    if (req.method !== "POST" || reservedPath(req.url) !== "console") return null;
    req.body?.cancel().catch(() => {});
    return notFound();
  }

  /** For a route with browser logs: the proxy's own answer on a reserved path, else null. */
  serve(req: Request, peer: string, name: string): Response | Promise<Response> | null {
    const which = reservedPath(req.url);
    if (which === null) return null;
    if (which === "console") return this.#intake.handle(req, peer, name);
    if (req.method !== "GET" && req.method !== "HEAD") return null;
    return new Response(req.method === "HEAD" ? null : CAPTURE_BYTES, {
      headers: {
        "content-type": "text/javascript; charset=utf-8",
        "content-length": String(CAPTURE_BYTES.length),
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  }

  /** For a route with browser logs: `res` with the script injected when it is a page. */
  inject(req: Request, res: Response, name: string, proxyPort: number): Response {
    const d = injectDecision(
      req.method,
      req.headers,
      res.status,
      res.headers,
    );
    if (d.kind === "skip") return res;
    if (d.kind === "refuse") {
      this.#note(name, d.reason, req.url);
      return res;
    }
    const enforce = res.headers.get("content-security-policy");
    const reportOnly = res.headers.get("content-security-policy-report-only");
    if (enforce === null && reportOnly === null) {
      return injectResponse(res, d.encoding, PLAIN_TAG, null);
    }
    const host = req.headers.get("host") ?? "";
    const origin = { host: hostName(host), port: portOf(host, proxyPort) };
    const plan = planCsp(enforce, reportOnly, origin, newNonce());
    if (plan.kind === "refuse") {
      this.#note(name, plan.reason, req.url);
      return res;
    }
    if (plan.kind === "keep") return injectResponse(res, d.encoding, PLAIN_TAG, null);
    return injectResponse(res, d.encoding, encoder.encode(scriptTag(plan.nonce)), plan);
  }

  #note(name: string, reason: string, url: string): void {
    const key = `${name}\0${reason}`;
    if (this.#noted.has(key) || this.sink === undefined) return;
    this.#noted.add(key);
    try {
      this.sink(name, [{
        level: "warn",
        text: `[browser] warn [agent-procs] console capture not injected: ${reason} (${url})`,
      }]);
    } catch {
      // the daemon's sink failing must not fail the page
    }
  }
}
