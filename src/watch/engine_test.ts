/** Tests of the engine's root resolution (real temp files) and its error messages. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveRoots, watchFailure } from "./engine.ts";

Deno.test("engine: roots resolve to existing directories; missing ones become messages", async () => {
  const dir = await Deno.makeTempDir({ prefix: "agent-procs-roots-" });
  try {
    await Deno.mkdir(join(dir, "src"));
    await Deno.writeTextFile(join(dir, "app.yaml"), "x\n");
    const r = resolveRoots(dir, [
      { kind: "dir", path: join(dir, "src"), recursive: true, glob: "src/**" },
      { kind: "dir", path: join(dir, "lib"), recursive: true, glob: "lib/**/*.ts" },
      { kind: "path", path: join(dir, "src"), glob: "src" },
      { kind: "path", path: join(dir, "app.yaml"), glob: "app.yaml" },
      { kind: "path", path: join(dir, "later.env"), glob: "later.env" },
      { kind: "path", path: join(dir, "no/such.env"), glob: "no/such.env" },
    ]);
    assert.deepEqual(r.inputs, [
      { path: join(dir, "src"), recursive: true },
      { path: join(dir, "src"), recursive: true },
      { path: dir, recursive: false },
      { path: dir, recursive: false },
    ]);
    assert.deepEqual(r.problems, [
      `base directory "lib" of watch glob "lib/**/*.ts" does not exist`,
      `neither "no/such.env" nor its directory exists`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("engine: watch failures name the OS limit and what to do", () => {
  assert.match(
    watchFailure(new Error('OS file watch limit reached. about ["/x"]'), 3),
    /^OS file watch limit reached .*raise fs\.inotify\.max_user_watches/,
  );
  assert.match(watchFailure(new Error("Too many open files"), 1), /OS file watch limit/);
  assert.equal(
    watchFailure(new Error("Permission denied"), 2),
    "cannot watch 2 directories: Permission denied",
  );
});
