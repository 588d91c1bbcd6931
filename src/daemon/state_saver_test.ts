/** The state saver's gap grows with what a save costs, so saving stays a small share of the time. */

import { equal, ok } from "node:assert/strict";
import { SAVE_GAP_FACTOR, SAVE_GAP_MS, StateSaver } from "./state_saver.ts";
import { emptyState } from "./state_file.ts";

Deno.test("state saver: after a slow save the next paced save waits ten times as long", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-saver-" });
  const saves: number[] = [];
  const slowMs = 8;
  const saver = new StateSaver(`${dir}/state.json`, () => {
    const start = performance.now();
    while (performance.now() - start < slowMs) { /* a big state taking its time */ }
    saves.push(start);
    return emptyState();
  }, () => {});
  try {
    saver.schedule();
    await Promise.resolve();
    equal(saves.length, 1, "a lone change is saved after the step");
    saver.schedule();
    const deadline = performance.now() + 5000;
    while (saves.length < 2 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
    }
    equal(saves.length, 2, "the second change was saved");
    const gap = saves[1] - saves[0];
    ok(slowMs * SAVE_GAP_FACTOR > SAVE_GAP_MS, "the test's save is slow enough to matter");
    ok(gap >= slowMs * SAVE_GAP_FACTOR, `second save ${gap.toFixed(1)} ms after the first`);
  } finally {
    saver.close();
    await Deno.remove(dir, { recursive: true });
  }
});
