/**
 * In-process tests of request handlers on fake children: `run` and `restart`
 * answer a spawn failure with an error carrying the reason (not ok with a
 * null pid), and successful ones answer ok with the status rows.
 */

import { deepStrictEqual as eq, equal, ok } from "node:assert/strict";
import type { Request } from "../protocol.ts";
import type { DaemonContext } from "./context.ts";
import { handle } from "./handlers.ts";
import type { ConnContext, StreamMessage } from "./server.ts";
import { SessionServices } from "./services.ts";
import { type Rig, rig, spec } from "./test_support.ts";

/** Final reply of a request, as recorded. */
type Final = { type: "ok"; data: unknown } | { type: "error"; code: string; message: string };

/** A context that records what a handler sends. */
function recorder(): { ctx: ConnContext; sent: StreamMessage[]; finals: Final[] } {
  const sent: StreamMessage[] = [];
  const finals: Final[] = [];
  const ctx: ConnContext = {
    send: (m) => sent.push(m),
    reply: (data) => finals.push({ type: "ok", data }),
    fail: (code, message) => finals.push({ type: "error", code, message }),
    get replied() {
      return finals.length > 0;
    },
    signal: new AbortController().signal,
  };
  return { ctx, sent, finals };
}

async function withDaemon(body: (d: DaemonContext, r: Rig) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ap-hdl-" });
  const r = rig(dir);
  const services = new SessionServices(r.sup, () => {});
  const d: DaemonContext = { sup: r.sup, paths: r.paths, services, shutdown: () => {} };
  try {
    await body(d, r);
  } finally {
    await services.close();
    r.sup.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function request(d: DaemonContext, req: Request): Promise<Final[]> {
  const rec = recorder();
  await handle(d, req, rec.ctx);
  return rec.finals;
}

const reason = "cannot start: working directory /gone or sh not found";

Deno.test("run: a spawn failure is an error with the reason", () =>
  withDaemon(async (d, r) => {
    r.children.failNext = reason;
    eq(await request(d, { type: "run", spec: spec("bad") }), [
      { type: "error", code: "failed", message: reason },
    ]);
    const finals = await request(d, { type: "run", spec: spec("good") });
    equal(finals.length, 1);
    const f = finals[0];
    ok(f.type === "ok" && typeof f.data === "object" && f.data !== null && "pid" in f.data);
    equal(f.data.pid, r.children.last.pid);
  }));

Deno.test("run: a live name is a conflict, with the way out in the details", () =>
  withDaemon(async (d) => {
    await request(d, { type: "run", spec: spec("web") });
    const [f] = await request(d, { type: "run", spec: spec("web") });
    equal(f.type === "error" && f.code, "conflict");
  }));

Deno.test("restart: a spawn failure (stopped process, or live one) is an error with the reason", () =>
  withDaemon(async (d, r) => {
    await request(d, { type: "run", spec: spec("web") });
    r.children.last.exit(0);
    await r.sup.until(() => r.sup.get("web")?.phase.kind === "exited" || undefined);
    r.children.failNext = reason;
    eq(await request(d, { type: "restart", targets: ["web"] }), [
      { type: "error", code: "failed", message: reason },
    ]);
    // A live one: stop, then the new spawn fails.
    await request(d, { type: "run", spec: spec("api") });
    r.children.failNext = reason;
    eq(await request(d, { type: "restart", targets: ["api"] }), [
      { type: "error", code: "failed", message: reason },
    ]);
    // And one that works answers with its row.
    const [f] = await request(d, { type: "restart", targets: ["api"] });
    ok(f.type === "ok" && Array.isArray(f.data) && f.data.length === 1);
  }));

Deno.test("stop and down answer with the names they handled; unknown names are not_found", () =>
  withDaemon(async (d) => {
    await request(d, { type: "run", spec: spec("a") });
    await request(d, { type: "run", spec: spec("b") });
    eq(await request(d, { type: "stop", targets: ["a"] }), [{ type: "ok", data: ["a"] }]);
    eq(await request(d, { type: "stop", targets: ["zz"] }), [
      { type: "error", code: "not_found", message: "no process named zz" },
    ]);
    eq(await request(d, { type: "down", names: ["a", "b"] }), [
      { type: "ok", data: { stopped: ["b"], forgotten: ["a", "b"] } },
    ]);
  }));
