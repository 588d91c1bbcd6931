/**
 * Pure header rules of the proxy: hop-by-hop headers are dropped in both
 * directions (the fixed list plus any named in `Connection`), `X-Forwarded-*`
 * are added to requests, and everything else (cookies, `Set-Cookie` lines,
 * `Content-Encoding`, `Location`) passes through untouched.
 */

/** Headers that describe one connection, never forwarded (RFC 9110 §7.6.1). */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  // The proxy already answered `Expect: 100-continue` to the client itself.
  "expect",
]);

const NONE: ReadonlySet<string> = new Set();

/** Extra headers named as hop-by-hop by a `Connection` header value. */
export function connectionTokens(connection: string | null): ReadonlySet<string> {
  if (connection === null) return NONE;
  const out = new Set<string>();
  for (const t of connection.split(",")) {
    const token = t.trim().toLowerCase();
    if (token !== "") out.add(token);
  }
  return out;
}

/** Facts about the client connection, for the `X-Forwarded-*` headers. */
export interface ForwardContext {
  /** Address of the client that connected to the proxy. */
  clientIp: string;
  /** `Host` header the client sent, or null. */
  host: string | null;
  /** Scheme the client used to reach the proxy. */
  proto: "http" | "https";
}

/**
 * Headers to send upstream: the client's headers minus hop-by-hop ones, with
 * `X-Forwarded-For` appended to (or created) and `X-Forwarded-Host/-Proto`
 * set. `Host` is kept as the client sent it, so apps build correct URLs.
 * Keys are lower-case; `Headers` has already joined repeated request headers.
 */
export function upstreamRequestHeaders(
  src: Headers,
  ctx: ForwardContext,
  drop: ReadonlySet<string> = NONE,
): Record<string, string> {
  const named = connectionTokens(src.get("connection"));
  const out: Record<string, string> = {};
  for (const [key, value] of src) {
    if (HOP_BY_HOP.has(key) || named.has(key) || drop.has(key)) continue;
    out[key] = value;
  }
  const prior = src.get("x-forwarded-for");
  out["x-forwarded-for"] = prior ? `${prior}, ${ctx.clientIp}` : ctx.clientIp;
  if (ctx.host !== null) out["x-forwarded-host"] = ctx.host;
  out["x-forwarded-proto"] = ctx.proto;
  return out;
}

/**
 * Headers to send back to the client from an upstream response's header
 * pairs (names lower-case, repeated names kept, so several `Set-Cookie` lines
 * stay several lines), minus hop-by-hop ones, appended to `out` (a new
 * `Headers` by default) and returned. Appending to a `Response`'s own
 * `headers` is much cheaper than passing a `Headers` to its constructor, which
 * copies it through WebIDL conversion.
 */
export function downstreamResponseHeaders(
  pairs: readonly [string, string][],
  out: Headers = new Headers(),
): Headers {
  let connection: string | null = null;
  for (const [k, v] of pairs) {
    if (k === "connection") connection = connection === null ? v : `${connection}, ${v}`;
  }
  const named = connectionTokens(connection);
  for (const [k, v] of pairs) {
    if (HOP_BY_HOP.has(k) || named.has(k)) continue;
    try {
      out.append(k, v);
    } catch {
      // A header value the Fetch API refuses (e.g. a raw control character): drop it.
    }
  }
  return out;
}
