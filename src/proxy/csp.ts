/**
 * Pure Content-Security-Policy handling for the capture script: does a
 * page's policy let our same-origin `<script src>` load and its entries be
 * posted, and if not, the smallest change to that policy that allows our two
 * URLs and nothing else, leaving the page's own rules as they were:
 *
 * - script (`script-src-elem`, else `script-src`, else `default-src`): a
 *   nonce for our tag, unless the list relies on `'unsafe-inline'` (a nonce
 *   would switch that off), where the script's exact URL is added instead;
 *   `'strict-dynamic'` lists always get the nonce (it ignores URLs);
 * - posting (`connect-src`, else `default-src`): the endpoint's exact URL is
 *   added (to a new `connect-src` copying `default-src`'s URL sources when
 *   there is none); a lone `'none'` is replaced.
 *
 * Policies allowing `'self'`, `*`, `http:` or a host pattern matching ours are
 * left byte-identical. A `<meta http-equiv>` policy is not rewritten: it
 * cannot cover the script, which comes before it in `<head>`.
 */

import { CAPTURE_PATH, CONSOLE_PATH } from "./inject.ts";

/** The origin a page was loaded from, through the proxy. */
export interface PageOrigin {
  /** Lower-case host name, e.g. `web.localhost`. */
  host: string;
  /** Port the browser used (the proxy's). */
  port: number;
}

/** What to do about a response's policies. */
export type CspPlan =
  /** Nothing to change. */
  | { kind: "keep" }
  /** Replace the header values (null: leave that header alone); put `nonce` on our tag. */
  | { kind: "rewrite"; enforce: string | null; reportOnly: string | null; nonce: string | null }
  /** Do not inject (said once in the log). */
  | { kind: "refuse"; reason: string };

interface Directive {
  name: string;
  values: string[];
}

function parsePolicy(policy: string): Directive[] {
  const out: Directive[] = [];
  for (const part of policy.split(";")) {
    const tokens = part.trim().split(/[ \t]+/).filter((t) => t !== "");
    if (tokens.length === 0) continue;
    out.push({ name: tokens[0].toLowerCase(), values: tokens.slice(1) });
  }
  return out;
}

function serialize(directives: Directive[]): string {
  return directives.map((d) => [d.name, ...d.values].join(" ")).join("; ");
}

function find(directives: Directive[], ...names: string[]): Directive | null {
  for (const name of names) {
    const d = directives.find((x) => x.name === name); // the first of a name wins
    if (d) return d;
  }
  return null;
}

const lower = (v: string) => v.toLowerCase();

/** Whether the source expression `src` (a host-source) matches `path` on `origin` over http. */
export function hostSourceMatches(src: string, origin: PageOrigin, path: string): boolean {
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*|(?:\*\.)?[a-z0-9.-]+)(?::(\*|\d+))?(\/[^?#]*)?$/i
    .exec(src);
  if (m === null) return false;
  const [, scheme, host, port, srcPath] = m;
  if (scheme !== undefined && lower(scheme) !== "http") return false;
  const h = lower(host);
  if (h === "*") {
    // matches any host
  } else if (h.startsWith("*.")) {
    if (!origin.host.endsWith(h.slice(1))) return false;
  } else if (h !== origin.host) return false;
  if (port === undefined ? origin.port !== 80 : port !== "*" && Number(port) !== origin.port) {
    return false;
  }
  if (srcPath === undefined || srcPath === "/") return true;
  return srcPath.endsWith("/") ? path.startsWith(srcPath) : path === srcPath;
}

function allows(values: string[], origin: PageOrigin, path: string, script: boolean): boolean {
  const vs = values.map(lower);
  if (script && vs.includes("'strict-dynamic'")) return false; // only nonces and hashes count
  for (const v of vs) {
    if (v === "'self'" || v === "*" || v === "http:") return true;
    if (!v.startsWith("'") && !v.endsWith(":") && hostSourceMatches(v, origin, path)) return true;
  }
  return false;
}

function withSource(values: string[], source: string): string[] {
  const kept = values.filter((v) => lower(v) !== "'none'");
  return [...kept, source];
}

const isNonceOrHash = (v: string) => /^'(?:nonce|sha256|sha384|sha512)-/i.test(v);

/** Rewrites one policy; `nonce` is used when a nonce is the right change. */
function rewritePolicy(
  policy: string,
  origin: PageOrigin,
  nonce: string,
): { text: string; usedNonce: boolean } {
  const directives = parsePolicy(policy);
  const base = `http://${origin.host}:${origin.port}`;
  let changed = false;
  let usedNonce = false;
  const script = find(directives, "script-src-elem", "script-src", "default-src");
  if (script !== null && !allows(script.values, origin, CAPTURE_PATH, true)) {
    const vs = script.values.map(lower);
    const inlineMatters = vs.includes("'unsafe-inline'") && !vs.some(isNonceOrHash) &&
      !vs.includes("'strict-dynamic'");
    script.values = inlineMatters
      ? withSource(script.values, base + CAPTURE_PATH)
      : withSource(script.values, `'nonce-${nonce}'`);
    usedNonce = !inlineMatters;
    changed = true;
  }
  const connect = find(directives, "connect-src");
  const fallback = connect === null ? find(directives, "default-src") : null;
  const governing = connect ?? fallback;
  if (governing !== null) {
    // default-src as it was before a nonce was added to it above
    const original = fallback !== null
      ? parsePolicy(policy).find((d) => d.name === "default-src")
      : null;
    const values = original?.values ?? governing.values;
    if (!allows(values, origin, CONSOLE_PATH, false)) {
      if (connect !== null) connect.values = withSource(connect.values, base + CONSOLE_PATH);
      else {
        const urls = values.filter((v) => !v.startsWith("'") || lower(v) === "'self'");
        directives.push({ name: "connect-src", values: [...urls, base + CONSOLE_PATH] });
      }
      changed = true;
    }
  }
  return { text: changed ? serialize(directives) : policy, usedNonce };
}

function rewriteHeader(
  value: string,
  origin: PageOrigin,
  nonce: string,
): { text: string; usedNonce: boolean } | null {
  const policies = value.split(",");
  let usedNonce = false;
  let changed = false;
  const out = policies.map((p) => {
    const r = rewritePolicy(p, origin, nonce);
    usedNonce ||= r.usedNonce;
    if (r.text !== p) changed = true;
    return r.text.trim() === p.trim() ? p : ` ${r.text}`;
  });
  return changed ? { text: out.join(",").trim(), usedNonce } : null;
}

/**
 * Plans the change to a response's `Content-Security-Policy` (`enforce`) and
 * `Content-Security-Policy-Report-Only` values (each may list several
 * policies separated by commas) so that our script at `CAPTURE_PATH` loads
 * and can post to `CONSOLE_PATH`. Report-only policies are adjusted the same
 * way so the page's reports do not fill with our URLs.
 */
export function planCsp(
  enforce: string | null,
  reportOnly: string | null,
  origin: PageOrigin,
  nonce: string,
): CspPlan {
  if (enforce === null && reportOnly === null) return { kind: "keep" };
  const odd = /[^\x20-\x7e\t]/;
  if ((enforce !== null && odd.test(enforce)) || (reportOnly !== null && odd.test(reportOnly))) {
    return { kind: "refuse", reason: "its Content-Security-Policy has unexpected characters" };
  }
  const e = enforce === null ? null : rewriteHeader(enforce, origin, nonce);
  const r = reportOnly === null ? null : rewriteHeader(reportOnly, origin, nonce);
  if (e === null && r === null) return { kind: "keep" };
  return {
    kind: "rewrite",
    enforce: e?.text ?? null,
    reportOnly: r?.text ?? null,
    nonce: e?.usedNonce || r?.usedNonce ? nonce : null,
  };
}
