/**
 * Applies an injection to a forwarded response: decodes a `gzip`/`br`/
 * `deflate` body with `DecompressionStream` and sends it on as identity
 * (dropping `Content-Encoding` and `Content-Length`; re-encoding would cost
 * more CPU than the loopback saves), or, for an identity body with a known
 * length, raises `Content-Length` by the tag's size; rewrites the CSP headers
 * as planned; and streams the body through `HeadInjector`, so backpressure
 * and streaming (SSR flushes) are kept.
 */

import { type Decodable, HeadInjector } from "./inject.ts";

const FORMAT: Record<Decodable, string> = { gzip: "gzip", deflate: "deflate", br: "brotli" };

/** Header changes for a Content-Security-Policy rewrite (null: leave that header). */
export interface CspHeaders {
  enforce: string | null;
  reportOnly: string | null;
}

/** The same response with `tag` spliced in after `<head ...>` (see `HeadInjector`). */
export function injectResponse(
  res: Response,
  encoding: Decodable | null,
  tag: Uint8Array,
  csp: CspHeaders | null,
): Response {
  if (res.body === null) return res;
  const headers = new Headers(res.headers);
  let body: ReadableStream<Uint8Array> = res.body;
  if (encoding !== null) {
    const inflate = new DecompressionStream(FORMAT[encoding] as CompressionFormat);
    body = body.pipeThrough(inflate as unknown as TransformStream<Uint8Array, Uint8Array>);
    headers.delete("content-encoding");
    headers.delete("content-length");
  } else {
    const length = headers.get("content-length");
    if (length !== null && /^\d+$/.test(length)) {
      headers.set("content-length", String(Number(length) + tag.length));
    }
  }
  if (csp !== null) {
    if (csp.enforce !== null) headers.set("content-security-policy", csp.enforce);
    if (csp.reportOnly !== null) {
      headers.set("content-security-policy-report-only", csp.reportOnly);
    }
  }
  const injector = new HeadInjector(tag);
  const out = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctrl) {
        if (injector.done) ctrl.enqueue(chunk);
        else for (const p of injector.push(chunk)) ctrl.enqueue(p);
      },
      flush(ctrl) {
        for (const p of injector.end()) ctrl.enqueue(p);
      },
    }),
  );
  return new Response(out, { status: res.status, statusText: res.statusText, headers });
}
