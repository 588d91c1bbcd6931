/**
 * In-process tests of the socket server's reply rule over a real Unix socket:
 * one final reply per request (a second is dropped and logged as a bug, none
 * at all becomes `internal`), and the hello carries the session's warnings.
 */

import { deepStrictEqual as eq, equal, ok } from "node:assert/strict";
import { PROTOCOL_VERSION } from "../protocol.ts";
import { type Handler, serve } from "./server.ts";

/** Serves `handler` on a temp socket, sends hello + `request`, returns every reply and the log. */
async function exchange(
  handler: Handler,
  request: unknown,
  warnings: string[] = [],
): Promise<{ replies: unknown[]; log: string[] }> {
  const dir = await Deno.makeTempDir({ prefix: "ap-srv-" });
  const path = `${dir}/s.sock`;
  const listener = Deno.listen({ transport: "unix", path });
  const log: string[] = [];
  const served = serve(listener, {
    handler,
    stats: { active: 0 },
    session: "t",
    onConnChange: () => {},
    warnings: () => warnings,
    log: (m) => log.push(m),
  });
  try {
    const conn = await Deno.connect({ transport: "unix", path });
    const enc = new TextEncoder();
    await conn.write(enc.encode(
      JSON.stringify({ type: "hello", version: PROTOCOL_VERSION }) + "\n" +
        JSON.stringify(request) + "\n",
    ));
    let text = "";
    const dec = new TextDecoder();
    for await (const chunk of conn.readable) text += dec.decode(chunk, { stream: true });
    const replies: unknown[] = text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
    return { replies, log };
  } finally {
    listener.close();
    await served;
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a second final reply is dropped and logged as a bug", async () => {
  const { replies, log } = await exchange((_req, ctx) => {
    ctx.send({ type: "note", text: "hi" });
    ctx.reply(null);
    ctx.fail("internal", "second");
    ctx.send({ type: "note", text: "late" });
    return Promise.resolve();
  }, { type: "ping" });
  eq(replies.slice(1), [{ type: "note", text: "hi" }, { type: "ok", data: null }]);
  equal(log.length, 2);
  ok(log[0].startsWith("bug: a second final reply to ping was dropped"), log[0]);
  ok(log[1].startsWith("bug: note message after the final reply"), log[1]);
});

Deno.test("a handler that returns without a final reply gets an internal error, logged", async () => {
  const { replies, log } = await exchange(() => Promise.resolve(), { type: "status" });
  eq(replies[1], { type: "error", code: "internal", message: "no reply to status" });
  ok(log[0].includes("returned without a final reply"));
});

Deno.test("a handler that throws gets an internal error with its message, and the stack is logged", async () => {
  const { replies, log } = await exchange(() => Promise.reject(new Error("boom")), {
    type: "status",
  });
  eq(replies[1], { type: "error", code: "internal", message: "boom" });
  ok(log[0].startsWith("status failed: Error: boom"));
});

Deno.test("the hello lists the session's warnings", async () => {
  const { replies } = await exchange(
    (_req, ctx) => {
      ctx.reply(null);
      return Promise.resolve();
    },
    { type: "ping" },
    ["cannot save state: disk full"],
  );
  const hello = replies[0];
  ok(typeof hello === "object" && hello !== null && "warnings" in hello);
  eq(hello.warnings, ["cannot save state: disk full"]);
});
