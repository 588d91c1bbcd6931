/**
 * Pure rules for injecting the browser-console capture script into HTML
 * responses: which exchanges qualify (`injectDecision`), the `<script>` tag,
 * the reserved paths, and `HeadInjector`, a streaming splicer that finds the
 * end of the `<head ...>` start tag in a body that arrives in chunks (the tag
 * may be split across them) with a bounded look-ahead, and falls back to the
 * start of the document (after a BOM, `<!doctype>` or `<html>` tag) when no
 * `<head>` shows up in time. No I/O here.
 */

/** Path of the capture script the proxy serves on process hosts with browser logs. */
export const CAPTURE_PATH = "/_agent-procs/capture.js";

/** Path the capture script posts console entries to. */
export const CONSOLE_PATH = "/_agent-procs/console";

/** How many bytes `HeadInjector` holds back while looking for `<head>` before it falls back. */
export const HEAD_LOOKAHEAD = 32 * 1024;

/** Which of the proxy's reserved paths a request URL names, if any (cheap: no URL parsing). */
export function reservedPath(url: string): "capture" | "console" | null {
  const slash = url.indexOf("/", url.indexOf("//") + 2);
  if (slash === -1 || url.charCodeAt(slash + 1) !== 95 /* _ */) return null;
  const rest = url.slice(slash);
  const end = rest.search(/[?#]/);
  const path = end === -1 ? rest : rest.slice(0, end);
  if (path === CAPTURE_PATH) return "capture";
  if (path === CONSOLE_PATH) return "console";
  return null;
}

/** Content encodings the injector can decode (sent on as identity). */
export type Decodable = "gzip" | "deflate" | "br";

/** Whether (and how) to inject into one response. */
export type InjectDecision =
  | { kind: "skip" }
  /** Not injected for a reason worth saying once in the process's browser log. */
  | { kind: "refuse"; reason: string }
  | { kind: "inject"; encoding: Decodable | null };

const SINGLE_BYTE_OK = /^(?:utf-?8|us-ascii|ascii|iso-8859-\d+|latin1|windows-125\d)$/;

/**
 * Decides from the request's method and headers and the response's status
 * and headers whether the response is a whole HTML document to inject into:
 * GET, 200, `text/html`, no range asked or answered, not an attachment, a
 * document navigation (when the browser says, with `Sec-Fetch-Dest`), an
 * ASCII-compatible charset, and an encoding the proxy can decode.
 */
export function injectDecision(
  method: string,
  request: Headers,
  status: number,
  headers: Headers,
): InjectDecision {
  if (status !== 200 || method !== "GET") return { kind: "skip" };
  const type = headers.get("content-type");
  if (type === null || !/^\s*text\/html\s*(?:;|$)/i.test(type)) return { kind: "skip" };
  const fetchDest = request.get("sec-fetch-dest");
  if (fetchDest !== null && fetchDest !== "document" && fetchDest !== "iframe") {
    return { kind: "skip" }; // an HTML fragment fetched by a script
  }
  if (headers.has("content-range") || request.has("range")) return { kind: "skip" };
  const disposition = headers.get("content-disposition");
  if (disposition !== null && /^\s*attachment/i.test(disposition)) return { kind: "skip" };
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1]?.toLowerCase();
  if (charset !== undefined && !SINGLE_BYTE_OK.test(charset)) return { kind: "skip" };
  const coding = (headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (coding === "" || coding === "identity") return { kind: "inject", encoding: null };
  if (coding === "gzip" || coding === "x-gzip") return { kind: "inject", encoding: "gzip" };
  if (coding === "deflate" || coding === "br") return { kind: "inject", encoding: coding };
  return { kind: "refuse", reason: `the page's Content-Encoding ${coding} cannot be decoded` };
}

/** The tag inserted into pages, with `nonce` when a Content-Security-Policy needs one. */
export function scriptTag(nonce: string | null): string {
  const n = nonce === null ? "" : ` nonce="${nonce}"`;
  return `<script src="${CAPTURE_PATH}"${n}></script>`;
}

const latin1 = new TextDecoder("latin1");

/**
 * Where to insert when no `<head>` tag came (`text`: the body's start, one
 * char per byte): after `<html ...>`, else `<!doctype ...>`, else a BOM.
 */
export function fallbackOffset(text: string): number {
  const html = /<html(?=[\s/>])[^>]*>/i.exec(text);
  if (html !== null) return html.index + html[0].length;
  const doctype = /<!doctype[^>]*>/i.exec(text);
  if (doctype !== null) return doctype.index + doctype[0].length;
  return text.startsWith("\xef\xbb\xbf") ? 3 : 0; // a UTF-8 BOM, read as latin1
}

/**
 * Splices `tag` into an HTML body fed chunk by chunk: `push` returns the
 * pieces to send now (nothing while it is still looking), `end` the rest.
 * Bytes are held back only until the end of `<head ...>` is seen, a `<body`
 * tag appears first, or `lookahead` bytes are held; after that every chunk
 * passes through untouched.
 */
export class HeadInjector {
  #held: Uint8Array[] = [];
  #heldLen = 0;
  #text = "";
  #done = false;

  constructor(readonly tag: Uint8Array, readonly lookahead = HEAD_LOOKAHEAD) {}

  /** True once the tag has been placed (or given up on a UTF-16 body). */
  get done(): boolean {
    return this.#done;
  }

  /** Feeds a chunk; returns what can be sent now. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#done) return [chunk];
    const room = this.lookahead - this.#text.length;
    if (room > 0) {
      // one char per byte, so offsets stay byte offsets; only the look-ahead is ever searched
      this.#text += latin1.decode(chunk.length > room ? chunk.subarray(0, room) : chunk);
    }
    this.#held.push(chunk);
    this.#heldLen += chunk.length;
    const at = this.#find(false);
    return at === null ? [] : this.#splice(at);
  }

  /** The body ended: returns whatever is still held, with the tag placed. */
  end(): Uint8Array[] {
    if (this.#done) return [];
    return this.#splice(this.#find(true) ?? 0);
  }

  #find(final: boolean): number | null {
    const text = this.#text;
    if (text.startsWith("\xfe\xff") || text.startsWith("\xff\xfe")) return -1; // UTF-16: leave it
    const m = /<(head|body)[\s/>]/i.exec(text);
    if (m !== null && m[1].toLowerCase() === "head") {
      const close = text.indexOf(">", m.index + 5);
      if (close !== -1) return close + 1;
    } else if (m !== null) {
      return fallbackOffset(text.slice(0, m.index));
    }
    if (final || this.#heldLen >= this.lookahead) {
      return fallbackOffset(text);
    }
    return null;
  }

  #splice(at: number): Uint8Array[] {
    const held = this.#held;
    this.#held = [];
    this.#text = "";
    this.#done = true;
    if (at < 0) return held.filter((p) => p.length > 0);
    const out: Uint8Array[] = [];
    let offset = 0;
    let placed = false;
    for (const part of held) {
      if (!placed && at <= offset + part.length) {
        out.push(part.subarray(0, at - offset), this.tag, part.subarray(at - offset));
        placed = true;
      } else out.push(part);
      offset += part.length;
    }
    if (!placed) out.push(this.tag);
    return out.filter((p) => p.length > 0);
  }
}
