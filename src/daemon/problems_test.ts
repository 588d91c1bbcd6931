/**
 * In-process tests of the failures that used to vanish: a log that stops
 * capturing and a state file that cannot be saved reach the daemon log, the
 * status row (`log_error`) and the session's warnings while they last.
 */

import { deepStrictEqual as eq, equal, ok } from "node:assert/strict";
import { emptyState } from "./state_file.ts";
import { rig, spec } from "./test_support.ts";

Deno.test("a failing capture sets log_error and a warning until a write works again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-prob-" });
  const r = rig(dir);
  try {
    r.sup.start(spec("web"));
    const log = r.logs.get("web")!;
    log.failWith = "No space left on device (os error 28)";
    r.children.last.print("lost\n");
    const row = r.sup.info(r.sup.get("web")!);
    equal(row.log_error, "capture failing: No space left on device (os error 28)");
    eq(r.sup.warnings(), ["logs of web: capture failing: No space left on device (os error 28)"]);
    ok(r.daemonLog.includes("logs of web: capture failing: No space left on device (os error 28)"));
    // Each further failure is the same problem: logged once.
    r.children.last.print("lost too\n");
    equal(r.daemonLog.filter((l) => l.includes("capture failing")).length, 1);
    log.failWith = null;
    r.children.last.print("back\n");
    equal(r.sup.info(r.sup.get("web")!).log_error, null);
    eq(r.sup.warnings(), []);
    ok(r.daemonLog.includes("logs of web: capture works again"));
  } finally {
    r.sup.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a log that cannot be opened is a capture problem too; the process still runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-prob-" });
  const r = rig(dir, emptyState(), {
    openLog: () => {
      throw new Deno.errors.PermissionDenied("Permission denied (os error 13)");
    },
  });
  try {
    const rec = r.sup.start(spec("web"));
    equal(rec.phase.kind, "running");
    equal(r.sup.info(rec).log_error, "cannot open the log: Permission denied (os error 13)");
    eq(r.sup.warnings(), ["logs of web: cannot open the log: Permission denied (os error 13)"]);
  } finally {
    r.sup.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a state save that fails is logged once and warned about until a save works", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-prob-" });
  const r = rig(dir);
  try {
    Deno.removeSync(r.paths.stateDir, { recursive: true });
    r.sup.saveNow();
    r.sup.saveNow();
    const warnings = r.sup.warnings();
    equal(warnings.length, 1);
    ok(warnings[0].startsWith("cannot save state: "), warnings[0]);
    equal(r.daemonLog.filter((l) => l.startsWith("cannot save state: ")).length, 1);
    Deno.mkdirSync(r.paths.stateDir, { recursive: true });
    r.sup.saveNow();
    eq(r.sup.warnings(), []);
    ok(r.daemonLog.includes("state saved again"));
  } finally {
    r.sup.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("after close, no queued save touches the state file (a next daemon may own it)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-prob-" });
  const r = rig(dir);
  try {
    r.sup.saveNow(null);
    const before = Deno.readTextFileSync(r.paths.stateFile);
    r.sup.start(spec("web")); // queues a save
    r.sup.close();
    await Promise.resolve();
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    equal(Deno.readTextFileSync(r.paths.stateFile), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
