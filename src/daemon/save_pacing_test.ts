/**
 * The state file's pacing: a lone change is saved right after the step that
 * made it; a burst of changes is saved once per `SAVE_GAP_MS`, the last change
 * included.
 */

import { equal, ok } from "node:assert/strict";
import { loadState } from "./state_file.ts";
import { rig, spec } from "./test_support.ts";

function savedNames(file: string): string[] {
  const s = loadState(file);
  return s.ok ? s.state.records.map((r) => r.spec.name) : [];
}

Deno.test("state saves: a lone change at once, a burst paced (SAVE_GAP_MS) and complete", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-save-" });
  const r = rig(dir);
  try {
    r.sup.start(spec("first"));
    await Promise.resolve();
    equal(savedNames(r.paths.stateFile).join(","), "first");
    const seen = new Set<number>([1]);
    // Steps one after another with no timer turn in between (as an `up` in full swing).
    for (let i = 0; i < 50; i++) {
      r.sup.start(spec(`p${i}`));
      await Promise.resolve();
      seen.add(savedNames(r.paths.stateFile).length);
    }
    ok(seen.size <= 2, `saved states with ${[...seen].join(", ")} records for 50 changes`);
    const deadline = Date.now() + 5000;
    while (savedNames(r.paths.stateFile).length < 51 && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 5));
    }
    equal(savedNames(r.paths.stateFile).length, 51, `saved: ${savedNames(r.paths.stateFile)}`);
  } finally {
    r.sup.close();
    await Deno.remove(dir, { recursive: true });
  }
});
