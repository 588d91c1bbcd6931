/**
 * End-to-end tests of the proxy's fast path over real sockets: per-request
 * routing on one keep-alive client connection (back to back and pipelined),
 * a hand-over to the full server mid-connection, chunked and 1 MB bodies,
 * a client that leaves mid-upload, a backend that dies mid-response, and
 * routes that must take the full path.
 */

import assert from "node:assert/strict";
import type { Route } from "./router.ts";
import {
  serveBackend,
  sha256,
  waitFor,
  within,
  withProxy,
} from "../../tests/fixtures/proxy/helpers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const MB = 1024 * 1024;

/** A raw HTTP/1.1 client on one connection that reads Content-Length responses. */
class RawClient {
  #buf = new Uint8Array(0);
  private constructor(readonly conn: Deno.TcpConn) {}

  static async open(port: number): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  async send(text: string | Uint8Array): Promise<void> {
    const data = typeof text === "string" ? enc.encode(text) : text;
    for (let off = 0; off < data.length;) off += await this.conn.write(data.subarray(off));
  }

  async #more(): Promise<void> {
    const chunk = new Uint8Array(64 * 1024);
    const n = await this.conn.read(chunk);
    if (n === null) throw new Error(`connection closed; unread: ${dec.decode(this.#buf)}`);
    const joined = new Uint8Array(this.#buf.length + n);
    joined.set(this.#buf);
    joined.set(chunk.subarray(0, n), this.#buf.length);
    this.#buf = joined;
  }

  /** Reads one response (which must have a Content-Length). */
  async response(): Promise<{ status: number; head: string; body: string }> {
    for (;;) {
      const text = dec.decode(this.#buf);
      const end = text.indexOf("\r\n\r\n");
      if (end !== -1) {
        const head = text.slice(0, end);
        const m = /\r\ncontent-length: *(\d+)/i.exec(head);
        if (!m) throw new Error(`no content-length in ${head}`);
        const total = end + 4 + Number(m[1]);
        if (this.#buf.length >= total) {
          const body = dec.decode(this.#buf.subarray(end + 4, total));
          this.#buf = this.#buf.slice(total);
          return { status: Number(head.split(" ")[1]), head, body };
        }
      }
      await this.#more();
    }
  }

  close(): void {
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }
}

/** A raw TCP backend that answers every connection with `reply` and then closes it. */
function rawBackend(reply: string): { port: number; close(): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    for await (const conn of listener) {
      try {
        await conn.read(new Uint8Array(16 * 1024));
        await conn.write(enc.encode(reply));
      } catch { /* the proxy went away */ }
      conn.close();
    }
  })();
  return {
    port: listener.addr.port,
    async close() {
      listener.close();
      await serving.catch(() => {});
    },
  };
}

Deno.test("one keep-alive connection: requests back to back and pipelined reach two processes, then the route list", async () => {
  const one = serveBackend((req) => new Response(`one ${new URL(req.url).pathname}`));
  const two = serveBackend((req) => new Response(`two ${new URL(req.url).pathname}`));
  const routes: Route[] = [
    { name: "one", port: one.addr.port, state: "running" },
    { name: "two", port: two.addr.port, state: "running" },
  ];
  try {
    await withProxy(() => routes, async (proxy) => {
      const c = await RawClient.open(proxy.port);
      try {
        await c.send("GET /a HTTP/1.1\r\nHost: one.localhost\r\n\r\n");
        assert.equal((await c.response()).body, "one /a");
        await c.send("GET /b HTTP/1.1\r\nHost: two.localhost\r\n\r\n");
        assert.equal((await c.response()).body, "two /b");
        await c.send(
          "GET /c HTTP/1.1\r\nHost: two.localhost\r\n\r\n" +
            "POST /d HTTP/1.1\r\nHost: one.localhost\r\nContent-Length: 3\r\n\r\nxyz" +
            "GET /e HTTP/1.1\r\nHost: two.localhost\r\n\r\n",
        );
        assert.equal((await c.response()).body, "two /c");
        assert.equal((await c.response()).body, "one /d");
        assert.equal((await c.response()).body, "two /e");
        // The route follows a change between two requests of the same connection.
        routes[0] = { name: "one", port: two.addr.port, state: "running" };
        await c.send("GET /f HTTP/1.1\r\nHost: one.localhost\r\n\r\n");
        assert.equal((await c.response()).body, "two /f");
        // The proxy's own page: the connection is handed to the full server.
        await c.send("GET / HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\n\r\n");
        const index = await c.response();
        assert.equal(index.status, 200);
        assert.match(index.body, /agent-procs proxy on http:\/\/localhost:\d+/);
        // ...which still routes per request.
        await c.send("GET /g HTTP/1.1\r\nHost: two.localhost\r\n\r\n");
        assert.equal((await c.response()).body, "two /g");
      } finally {
        c.close();
      }
    });
  } finally {
    await one.shutdown();
    await two.shutdown();
  }
});

Deno.test("a chunked request body and 1 MB bodies both ways pass intact", async () => {
  const big = Uint8Array.from({ length: MB }, (_, i) => (i * 7 + 3) & 0xff);
  const seen: { te: string | null; length: number; sha: string }[] = [];
  const backend = serveBackend(async (req) => {
    const body = new Uint8Array(await req.arrayBuffer());
    seen.push({
      te: req.headers.get("transfer-encoding"),
      length: body.length,
      sha: await sha256(body),
    });
    return new Response(big);
  });
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/up.bin`, big);
    await withProxy(
      () => [{ name: "app", port: backend.addr.port, state: "running" }],
      async (proxy) => {
        for (const chunked of [true, false]) {
          const out = await new Deno.Command("curl", {
            args: [
              "-sS",
              "--max-time",
              "60",
              "-H",
              "Host: app.localhost",
              ...(chunked ? ["-H", "Transfer-Encoding: chunked"] : []),
              "--data-binary",
              `@${dir}/up.bin`,
              "-o",
              `${dir}/down.bin`,
              `http://127.0.0.1:${proxy.port}/upload`,
            ],
          }).output();
          assert.equal(out.code, 0, dec.decode(out.stderr));
          const down = await Deno.readFile(`${dir}/down.bin`);
          assert.equal(down.length, MB);
          assert.equal(await sha256(down), await sha256(big));
        }
      },
    );
    const want = await sha256(big);
    assert.deepEqual(seen, [
      { te: "chunked", length: MB, sha: want },
      { te: null, length: MB, sha: want },
    ]);
  } finally {
    await backend.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a client that leaves mid-upload ends the backend request, and the proxy carries on", async () => {
  let aborted = false;
  const backend = serveBackend(async (req) => {
    if (req.method === "GET") return new Response("still here");
    try {
      await req.arrayBuffer();
    } catch {
      aborted = true;
    }
    return new Response("done");
  });
  try {
    await withProxy(
      () => [{ name: "app", port: backend.addr.port, state: "running" }],
      async (proxy) => {
        const c = await RawClient.open(proxy.port);
        await c.send(
          "POST /up HTTP/1.1\r\nHost: app.localhost\r\nContent-Length: 1000000\r\n\r\n" +
            "x".repeat(10_000),
        );
        c.close();
        await waitFor(() => aborted ? true : undefined, "the backend to see the upload cut");
        const again = await RawClient.open(proxy.port);
        try {
          await again.send("GET / HTTP/1.1\r\nHost: app.localhost\r\n\r\n");
          assert.equal((await again.response()).body, "still here");
        } finally {
          again.close();
        }
      },
    );
  } finally {
    await backend.shutdown();
  }
});

Deno.test("a backend that dies mid-response: the client sees a cut transfer, not a clean end", async () => {
  for (
    const reply of [
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello",
    ]
  ) {
    const backend = rawBackend(reply);
    try {
      await withProxy(
        () => [{ name: "raw", port: backend.port, state: "running" }],
        async (proxy) => {
          const out = await within(
            new Deno.Command("curl", {
              args: ["-sS", "-H", "Host: raw.localhost", `http://127.0.0.1:${proxy.port}/`],
              stdout: "piped",
              stderr: "piped",
            }).output(),
            "curl",
          );
          assert.equal(dec.decode(out.stdout), "hello");
          assert.equal(
            out.code,
            18,
            `curl must report a partial transfer: ${dec.decode(out.stderr)}`,
          );
        },
      );
    } finally {
      await backend.close();
    }
  }
});

Deno.test("a route with browser-console injection takes the full path", async () => {
  const backend = rawBackend(
    "HTTP/1.1 200 OK\r\nX-Mixed-Case: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
  );
  try {
    for (const browserLogs of [false, true]) {
      const route = { name: "app", port: backend.port, state: "running" as const, browserLogs };
      await withProxy(() => [route], async (proxy) => {
        const c = await RawClient.open(proxy.port);
        try {
          await c.send("GET / HTTP/1.1\r\nHost: app.localhost\r\n\r\n");
          const r = await c.response();
          assert.equal(r.body, "ok");
          // The fast path passes header lines byte for byte; Deno.serve writes names in lower case.
          assert.equal(r.head.includes("X-Mixed-Case: 1"), !browserLogs, r.head);
          assert.equal(r.head.includes("x-mixed-case: 1"), browserLogs, r.head);
        } finally {
          c.close();
        }
      });
    }
  } finally {
    await backend.close();
  }
});

Deno.test("a client that leaves before the backend answers (a long poll) closes the backend connection", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let requests = 0;
  let closedByProxy = false;
  const serving = (async () => {
    for await (const conn of listener) {
      const buf = new Uint8Array(16 * 1024);
      try {
        if (await conn.read(buf) !== null) requests++;
        // Never answers; the next read ends when the proxy closes the connection.
        if (await conn.read(buf) === null) closedByProxy = true;
      } catch {
        closedByProxy = true;
      }
      conn.close();
    }
  })();
  try {
    await withProxy(
      () => [{ name: "poll", port: listener.addr.port, state: "running" }],
      async (proxy) => {
        const c = await RawClient.open(proxy.port);
        await c.send("GET /poll HTTP/1.1\r\nHost: poll.localhost\r\n\r\n");
        await waitFor(() => requests === 1 ? true : undefined, "the request to reach the backend");
        c.close();
        await waitFor(
          () => closedByProxy ? true : undefined,
          "the proxy to close the backend connection",
        );
      },
    );
  } finally {
    listener.close();
    await serving.catch(() => {});
  }
});

Deno.test("paths under /_agent-procs/ on a process host take the full path", async () => {
  const backend = rawBackend(
    "HTTP/1.1 200 OK\r\nX-Mixed-Case: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
  );
  try {
    await withProxy(
      () => [{ name: "app", port: backend.port, state: "running" }],
      async (proxy) => {
        const c = await RawClient.open(proxy.port);
        try {
          await c.send("GET /_agent-procs/x HTTP/1.1\r\nHost: app.localhost\r\n\r\n");
          const r = await c.response();
          assert.equal(r.body, "ok");
          assert.ok(r.head.includes("x-mixed-case: 1"), r.head);
        } finally {
          c.close();
        }
      },
    );
  } finally {
    await backend.close();
  }
});
