/** Tests of the between-frames event queue. */

import { deepEqual as assertEquals, equal } from "node:assert/strict";
import type { UiLine } from "./backend.ts";
import { enqueue, type Queued } from "./queue.ts";
import { MAX_LINES } from "./buffer.ts";

function mk(from: number, n: number): UiLine[] {
  return Array.from(
    { length: n },
    (_, i) => ({ seq: from + i, ts: 0, stream: "stdout", text: "", annotation: false }),
  );
}

Deno.test("consecutive lines of one process merge; other events keep their order", () => {
  const q: Queued[] = [];
  const first = mk(0, 2);
  enqueue(q, { kind: "lines", name: "a", lines: first });
  enqueue(q, { kind: "lines", name: "a", lines: mk(2, 3) });
  enqueue(q, { kind: "lines", name: "b", lines: mk(0, 1) });
  enqueue(q, { kind: "status", processes: [] });
  enqueue(q, { kind: "lines", name: "a", lines: mk(5, 1) });
  assertEquals(
    q.map((
      x,
    ) => (x.event.kind === "lines" ? `${x.event.name}:${x.event.lines.length}` : x.event.kind)),
    [
      "a:5",
      "b:1",
      "status",
      "a:1",
    ],
  );
  equal(first.length, 2, "the backend's array is not modified");
});

Deno.test("a merged flood keeps the newest lines and counts the ones it dropped", () => {
  const q: Queued[] = [];
  const total = 10 * MAX_LINES;
  for (let s = 0; s < total; s += 1000) {
    enqueue(q, { kind: "lines", name: "a", lines: mk(s, 1000) });
  }
  equal(q.length, 1);
  const ev = q[0].event;
  if (ev.kind !== "lines") throw new Error("expected lines");
  equal(ev.lines.length + q[0].dropped, total);
  equal(ev.lines.at(-1)!.seq, total - 1);
  equal(ev.lines.length <= 4 * MAX_LINES, true);
});
