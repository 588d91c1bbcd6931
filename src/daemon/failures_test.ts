/**
 * In-process tests of failures in the supervisor (fake clock and children):
 * the digest recorded for a failed incarnation, the crash-loop annotation and
 * status flag, the port hint, and the events written for each step.
 */

import { equal, ok } from "node:assert/strict";
import { emptyState } from "./state_file.ts";
import { eventsPath, readEvents } from "../events/store.ts";
import { reach, type Rig, rig, spec } from "./test_support.ts";
import type { SupervisorDeps } from "./deps.ts";

async function withRig(body: (r: Rig) => Promise<void>, over: Partial<SupervisorDeps> = {}) {
  const dir = await Deno.makeTempDir({ prefix: "ap-fail-" });
  const r = rig(dir, emptyState(), over);
  try {
    await body(r);
  } finally {
    r.sup.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const types = (r: Rig) => readEvents(eventsPath(r.paths)).map((e) => e.type);

Deno.test("a failed incarnation gets a digest of its own output in status", () =>
  withRig(async (r) => {
    r.sup.start(spec("api"));
    r.children.last.print("starting\nTraceback (most recent call last):\n");
    r.children.last.print("  File \"app.py\", line 3, in <module>\nKeyError: 'PORT'\n");
    r.children.last.exit(1);
    const info = await reach(r.sup, () => r.sup.infos()[0]?.last_failure ?? undefined, "failure");
    equal(info.reason, "exited");
    equal(info.exit_code, 1);
    ok(info.excerpt.startsWith("Traceback"), info.excerpt);
    ok(info.excerpt.endsWith("KeyError: 'PORT'"), info.excerpt);
    equal(types(r).join(","), "spawned,exited");
    const exited = readEvents(eventsPath(r.paths)).at(-1);
    equal(exited?.details.first_line, "KeyError: 'PORT'");
  }));

Deno.test("three quick failures make a crash loop: annotated once, flagged, evented", () =>
  withRig(async (r) => {
    r.sup.start(spec("loop", { autorestart: "always", restartDelayMs: 10 }));
    for (let i = 1; i <= 3; i++) {
      await reach(r.sup, () => r.sup.get("loop")?.generation === i || undefined, `gen ${i}`);
      r.children.last.print("boom\n");
      r.children.last.exit(1);
      await reach(
        r.sup,
        () => r.sup.get("loop")?.phase.kind === "restarting" || undefined,
        "restarting",
      );
      if (i < 3) r.clock.advance(10_000);
    }
    const row = r.sup.infos()[0];
    equal(row.crash_loop, true);
    const notes = r.logs.get("loop")!.lines.filter((l) => l.annotation).map((l) => l.text);
    equal(
      notes.filter((t) => t.includes("Crash loop: 3 failures within 10s")).length,
      1,
      String(notes),
    );
    ok(notes.includes("[agent-procs] boom"), String(notes));
    const t = types(r);
    equal(t.filter((x) => x === "crash-loop").length, 1);
    ok(t.indexOf("crash-loop") > t.lastIndexOf("exited"), t.join(","));
  }));

Deno.test("a failure naming a port in use gets a hint naming its holder", () =>
  withRig(async (r) => {
    r.sup.start(spec("web", { port: 3000 }));
    r.children.last.print("Error: listen EADDRINUSE: address already in use 127.0.0.1:3000\n");
    r.children.last.exit(1);
    const hint = await reach(
      r.sup,
      () => r.sup.infos()[0]?.last_failure?.hint ?? undefined,
      "hint",
    );
    equal(hint, "hint: port 3000 is held by pid 4242 (python3 -m http.server 3000)");
    ok(types(r).includes("port-conflict"));
  }, {
    findHolder: () =>
      Promise.resolve({ pid: 4242, pgid: 4242, command: "python3 -m http.server 3000" }),
  }));

Deno.test("a spawn failure's digest is its reason; a stop is no failure", () =>
  withRig(async (r) => {
    r.children.failNext = "cannot start: working directory /gone or sh not found";
    const rec = r.sup.start(spec("x"));
    equal(rec.lastFailure?.reason, "spawn-failed");
    equal(
      rec.lastFailure?.excerpt.join("|"),
      "cannot start: working directory /gone or sh not found",
    );
    r.sup.start(spec("y"));
    r.sup.dispatch("y", { type: "stop" });
    r.children.last.exit(null, "SIGTERM");
    await reach(r.sup, () => r.sup.get("y")?.phase.kind === "stopped" || undefined, "stopped");
    equal(r.sup.get("y")?.lastFailure, null);
    ok(types(r).includes("stopped"));
  }));
