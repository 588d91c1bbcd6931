/** Unit tests of the HTTP/1.1 pieces: heads, framing, keep-alive and the chunked decoder. */

import assert from "node:assert/strict";
import {
  ChunkedDecoder,
  encodeChunk,
  framingOf,
  keepAlive,
  latin1Bytes,
  parseResponseHead,
  requestHead,
  type ResponseHead,
} from "./http1.ts";
import { targetOf } from "./upstream.ts";

const enc = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function head(raw: string): ResponseHead {
  const p = parseResponseHead(enc.encode(raw));
  if (p.kind !== "head") throw new Error(`not a head: ${JSON.stringify(p)}`);
  return p.head;
}

Deno.test("requestHead writes the request line and headers, bytes kept as bytes", () => {
  const h = requestHead("POST", "/a?b=1", { host: "web.localhost", "x-name": "caf\u00e9" });
  assert.deepEqual(
    h,
    new Uint8Array([
      ...enc.encode("POST /a?b=1 HTTP/1.1\r\nhost: web.localhost\r\nx-name: caf"),
      0xe9,
      ...enc.encode("\r\n\r\n"),
    ]),
  );
  assert.deepEqual(latin1Bytes("abc"), enc.encode("abc"));
});

Deno.test("parseResponseHead parses status, reason and repeated headers", () => {
  const raw =
    "HTTP/1.1 302 Found\r\nLocation: /x\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nBODY";
  const p = parseResponseHead(enc.encode(raw));
  assert.equal(p.kind, "head");
  if (p.kind !== "head") return;
  assert.equal(p.used, raw.length - 4);
  assert.deepEqual(p.head, {
    minor: 1,
    status: 302,
    reason: "Found",
    headers: [["location", "/x"], ["set-cookie", "a=1"], ["set-cookie", "b=2"]],
  });
  assert.equal(head("HTTP/1.0 200\r\n\r\n").reason, "");
});

Deno.test("parseResponseHead: incomplete, malformed and oversized heads", () => {
  assert.equal(parseResponseHead(enc.encode("HTTP/1.1 200 OK\r\nA: b\r\n")).kind, "incomplete");
  assert.equal(parseResponseHead(enc.encode("SSH-2.0-x\r\n\r\n")).kind, "error");
  assert.equal(parseResponseHead(enc.encode("HTTP/1.1 200 OK\r\nno colon\r\n\r\n")).kind, "error");
  const big = enc.encode("HTTP/1.1 200 OK\r\nX: " + "a".repeat(70_000));
  assert.equal(parseResponseHead(big).kind, "error");
});

Deno.test("framingOf follows RFC 9112", () => {
  const ok = "HTTP/1.1 200 OK\r\n";
  assert.deepEqual(framingOf("HEAD", head(ok + "Content-Length: 5\r\n\r\n")), { kind: "none" });
  assert.deepEqual(framingOf("GET", head("HTTP/1.1 204 No Content\r\n\r\n")), { kind: "none" });
  assert.deepEqual(
    framingOf("GET", head("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n")),
    {
      kind: "none",
    },
  );
  assert.deepEqual(framingOf("GET", head(ok + "Content-Length: 5\r\n\r\n")), {
    kind: "length",
    length: 5,
  });
  assert.deepEqual(framingOf("GET", head(ok + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n")), {
    kind: "length",
    length: 5,
  });
  assert.equal(framingOf("GET", head(ok + "Content-Length: 5, 6\r\n\r\n")).kind, "error");
  assert.equal(framingOf("GET", head(ok + "Content-Length: -1\r\n\r\n")).kind, "error");
  assert.deepEqual(
    framingOf("GET", head(ok + "Transfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n\r\n")),
    { kind: "chunked" },
  );
  assert.deepEqual(framingOf("GET", head(ok + "Transfer-Encoding: gzip\r\n\r\n")), {
    kind: "close",
  });
  assert.deepEqual(framingOf("GET", head(ok + "\r\n")), { kind: "close" });
});

Deno.test("keepAlive by version and Connection header", () => {
  assert.equal(keepAlive(head("HTTP/1.1 200 OK\r\n\r\n")), true);
  assert.equal(keepAlive(head("HTTP/1.1 200 OK\r\nConnection: Close\r\n\r\n")), false);
  assert.equal(keepAlive(head("HTTP/1.0 200 OK\r\n\r\n")), false);
  assert.equal(keepAlive(head("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n")), true);
});

Deno.test("ChunkedDecoder decodes a body split at every byte", () => {
  const wire = enc.encode("5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\nNEXT");
  for (let cut = 0; cut <= wire.length; cut++) {
    const d = new ChunkedDecoder();
    const parts = [wire.subarray(0, cut), wire.subarray(cut)];
    let body = "";
    let done = false;
    let rest = "";
    for (const p of parts) {
      if (done) {
        rest += text(p);
        continue;
      }
      const r = d.push(p);
      assert.equal(r.error, null);
      body += r.data.map(text).join("");
      if (r.done) {
        done = true;
        rest += text(p.subarray(r.used));
      }
    }
    assert.equal(body, "hello, world", `cut at ${cut}`);
    assert.equal(done, true, `cut at ${cut}`);
    assert.equal(rest, "NEXT", `cut at ${cut}`);
  }
});

Deno.test("ChunkedDecoder reports broken framing", () => {
  assert.match(new ChunkedDecoder().push(enc.encode("zz\r\n")).error ?? "", /bad chunk size/);
  assert.match(new ChunkedDecoder().push(enc.encode("2\r\nabX\r\n")).error ?? "", /missing CRLF/);
});

Deno.test("encodeChunk frames data", () => {
  assert.equal(text(encodeChunk(enc.encode("hello, world!!!!"))), "10\r\nhello, world!!!!\r\n");
});

Deno.test("targetOf keeps path and query, drops the fragment", () => {
  assert.equal(targetOf("http://web.localhost:9090/a/b?c=1&d=%20"), "/a/b?c=1&d=%20");
  assert.equal(targetOf("http://web.localhost:9090"), "/");
  assert.equal(targetOf("http://x/#frag"), "/");
});
