/**
 * In-process tests of the wait primitives (`Supervisor.until`, `untilLine`)
 * and of the wait engine built on them, on a fake clock and fake children.
 */

import { deepStrictEqual as eq, equal, ok, rejects } from "node:assert/strict";
import { type Rig, rig, spec } from "./test_support.ts";
import { waitFor } from "./waits.ts";

async function withRig(body: (r: Rig) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ap-wait-" });
  const r = rig(dir);
  try {
    await body(r);
  } finally {
    r.sup.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const never = new AbortController().signal;

Deno.test("until resolves with the check's first value, at once or after a change", () =>
  withRig(async (r) => {
    eq(await r.sup.until(() => 42), { ok: true, value: 42 });
    r.sup.start(spec("web"));
    const exited = r.sup.until(() => r.sup.get("web")?.phase.kind === "exited" || undefined);
    r.children.last.exit(0);
    eq(await exited, { ok: true, value: true });
  }));

Deno.test("until ends with timeout on the clock's deadline, and aborted on the signal", () =>
  withRig(async (r) => {
    const t = r.sup.until(() => undefined, { timeoutMs: 100 });
    r.clock.advance(99);
    r.clock.advance(1);
    eq(await t, { ok: false, reason: "timeout" });
    equal(r.clock.pending, 0);
    const ac = new AbortController();
    const a = r.sup.until(() => undefined, { signal: ac.signal });
    ac.abort();
    eq(await a, { ok: false, reason: "aborted" });
  }));

Deno.test("until rejects when its check throws (a real error is not a timeout)", () =>
  withRig(async (r) => {
    await rejects(
      r.sup.until(() => {
        throw new Error("index broken");
      }),
      /index broken/,
    );
  }));

Deno.test("untilLine sees the backlog and live lines once each, in order, and stops on state", () =>
  withRig(async (r) => {
    r.sup.start(spec("web"));
    r.children.last.print("one\ntwo\n");
    const seen: string[] = [];
    const log = r.logs.get("web")!;
    const u = r.sup.untilLine("web", (l) => {
      seen.push(l.text);
      return l.text === "four" ? l.seq : undefined;
    }, { backlog: () => log.lines.slice() });
    r.children.last.print("three\nfour\nfive\n");
    eq(await u, { ok: true, value: 4 });
    eq(seen, ["one", "two", "three", "four"]);
    const gone = r.sup.untilLine("web", () => undefined, {
      state: () => r.sup.get("web")?.phase.kind === "exited" ? "ended" : undefined,
    });
    r.children.last.exit(0);
    eq(await gone, { ok: true, value: "ended" });
  }));

Deno.test("wait --until matches a line of the current incarnation, or fails when it ends", () =>
  withRig(async (r) => {
    r.sup.start(spec("web"));
    const cond = { kind: "until" as const, pattern: "listening", regex: false };
    const w = waitFor(r.sup, r.paths, "web", cond, 0, never);
    r.children.last.print("booting\nlistening on 3000\n");
    const o = await w;
    ok(o.ok && o.result.kind === "matched" && o.result.line.text === "listening on 3000");
    const w2 = waitFor(r.sup, r.paths, "web", { ...cond, pattern: "never" }, 0, never);
    r.children.last.exit(1);
    const o2 = await w2;
    ok(!o2.ok && o2.code === "failed");
    equal(!o2.ok && o2.message, 'web exited (exit 1) without printing "never"');
  }));

Deno.test("wait --until times out on the fake clock", () =>
  withRig(async (r) => {
    r.sup.start(spec("web"));
    const w = waitFor(
      r.sup,
      r.paths,
      "web",
      { kind: "until", pattern: "x", regex: false },
      500,
      never,
    );
    r.clock.advance(500);
    eq(await w, { ok: false, code: "timeout", message: "timeout" });
  }));

Deno.test("wait --exit reports the exit; wait --ready fails when the process ends first", () =>
  withRig(async (r) => {
    r.sup.start(spec("job"));
    const w = waitFor(r.sup, r.paths, "job", { kind: "exit" }, 0, never);
    r.children.last.exit(null, "SIGTERM");
    eq(await w, { ok: true, result: { kind: "exited", exitCode: null, signal: "SIGTERM" } });
    r.sup.start(spec("srv", { ready: { kind: "log", pattern: "up", regex: false } }));
    const ready = waitFor(r.sup, r.paths, "srv", { kind: "ready" }, 0, never);
    r.children.last.exit(2);
    const o = await ready;
    equal(!o.ok && o.message, "srv exited (exit 2) before it was ready");
  }));

Deno.test("a log readiness check makes the incarnation ready on its line", () =>
  withRig(async (r) => {
    const { startReadiness } = await import("./readiness.ts");
    const rec = r.sup.start(spec("srv", { ready: { kind: "log", pattern: "up", regex: false } }));
    startReadiness(r.sup, rec);
    const ready = waitFor(r.sup, r.paths, "srv", { kind: "ready" }, 0, never);
    r.children.last.print("starting\nserver up\n");
    eq(await ready, { ok: true, result: { kind: "ready" } });
    equal(r.sup.get("srv")?.ready, true);
  }));
