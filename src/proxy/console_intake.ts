/**
 * The proxy's own answer to `POST /_agent-procs/console` on a process host
 * with browser logs on: loopback peers only, same-origin JSON only (a page
 * on another origin cannot post without a CORS preflight, which is never
 * granted), a body cap (413), a per-route rate cap on requests and entries
 * (429, answered at once so other traffic is not slowed), a typed decode
 * (400), then one `BrowserLine` per entry to the sink and a 204.
 */

import type { BrowserLine, BrowserSink } from "./browser_line.ts";
import { decodeBatch, formatEntry } from "./console_format.ts";
import { hostName } from "./router.ts";

/** Largest accepted request body. */
export const MAX_CONSOLE_BODY = 64 * 1024;

/** Entries per second a route may send (steady rate; the burst is twice that). */
export const ENTRIES_PER_SECOND = 200;

/** Requests per second a route may send (steady rate; the burst is twice that). */
export const REQUESTS_PER_SECOND = 50;

/** A token bucket: `rate` tokens per second, holding at most `burst`. */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(readonly rate: number, readonly burst: number, now: number) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes `n` tokens at time `now` (ms) if there are enough; false otherwise. */
  take(n: number, now: number): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + (now - this.#at) * this.rate / 1000);
    this.#at = now;
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }
}

/** Whether a peer address is on the loopback. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === "::1" || h.startsWith("127.") || h.startsWith("::ffff:127.");
}

interface RouteState {
  requests: TokenBucket;
  entries: TokenBucket;
  dropped: number;
}

function plain(status: number, text: string): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

/** Reads at most `cap` bytes of a body; null when it is longer. */
async function readCapped(
  body: ReadableStream<Uint8Array>,
  cap: number,
): Promise<Uint8Array | null> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Answers the console endpoint for every route of one proxy (rate state per route name). */
export class ConsoleIntake {
  #routes = new Map<string, RouteState>();

  constructor(private readonly sink: BrowserSink | undefined, private readonly now = Date.now) {}

  #state(name: string): RouteState {
    let s = this.#routes.get(name);
    if (s === undefined) {
      const t = this.now();
      s = {
        requests: new TokenBucket(REQUESTS_PER_SECOND, 2 * REQUESTS_PER_SECOND, t),
        entries: new TokenBucket(ENTRIES_PER_SECOND, 2 * ENTRIES_PER_SECOND, t),
        dropped: 0,
      };
      this.#routes.set(name, s);
    }
    return s;
  }

  /** Handles one `POST /_agent-procs/console` for the process `name`. */
  async handle(req: Request, peer: string, name: string): Promise<Response> {
    if (!isLoopback(peer)) return plain(403, "403 the console endpoint takes loopback peers only");
    if (req.method !== "POST") {
      const r = plain(405, "405 use POST");
      r.headers.set("allow", "POST");
      return r;
    }
    const site = req.headers.get("sec-fetch-site");
    const origin = req.headers.get("origin");
    const host = req.headers.get("host") ?? "";
    if (
      (site !== null && site !== "same-origin") ||
      (origin !== null && hostName(origin.replace(/^https?:\/\//i, "")) !== hostName(host))
    ) {
      return plain(403, "403 same-origin requests only");
    }
    if (!/^\s*application\/json\s*(?:;|$)/i.test(req.headers.get("content-type") ?? "")) {
      return plain(415, "415 send application/json");
    }
    const state = this.#state(name);
    const length = Number(req.headers.get("content-length") ?? "0");
    if (length > MAX_CONSOLE_BODY) {
      await req.body?.cancel().catch(() => {});
      return plain(413, `413 body over ${MAX_CONSOLE_BODY} bytes`);
    }
    if (!state.requests.take(1, this.now())) {
      state.dropped++;
      await req.body?.cancel().catch(() => {});
      return plain(429, `429 over ${REQUESTS_PER_SECOND} requests/s`);
    }
    const bytes = req.body === null
      ? new Uint8Array()
      : await readCapped(req.body, MAX_CONSOLE_BODY);
    if (bytes === null) return plain(413, `413 body over ${MAX_CONSOLE_BODY} bytes`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return plain(400, "400 the body is not JSON");
    }
    const batch = decodeBatch(parsed);
    if (!batch.ok) return plain(400, `400 ${batch.error}`);
    if (!state.entries.take(batch.entries.length, this.now())) {
      state.dropped += batch.entries.length;
      return plain(429, `429 over ${ENTRIES_PER_SECOND} entries/s`);
    }
    const lines: BrowserLine[] = [];
    if (state.dropped > 0) {
      lines.push({
        level: "warn",
        text: `[browser] warn [agent-procs] ${state.dropped} console entries or batches dropped ` +
          `(over the proxy's rate cap)`,
      });
      state.dropped = 0;
    }
    for (const e of batch.entries) lines.push(formatEntry(e));
    if (lines.length > 0 && this.sink !== undefined) {
      try {
        this.sink(name, lines);
      } catch {
        // the daemon's sink failing must not fail the page's request
      }
    }
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  }
}
