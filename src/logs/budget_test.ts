import { equal, ok } from "node:assert/strict";
import { fits, roomFor, worstCase } from "./budget.ts";
import { RECORD_BYTES } from "./index_format.ts";

Deno.test("worst case counts cut newlines and index blocks", () => {
  const w = worstCase(100, 0, 64, 1000);
  equal(w.data, 100 + 2);
  equal(w.index, (2 * 2 + 2 + 1) * RECORD_BYTES);
});

Deno.test("a piece fits only while both streams stay within the segment with the index", () => {
  const cost = { data: 100, index: 64 };
  ok(fits({ stream: 800, other: 0, index: 60 }, cost, 1024));
  ok(!fits({ stream: 900, other: 0, index: 60 }, cost, 1024));
  // The index is shared: a full other stream leaves no room for more blocks.
  ok(!fits({ stream: 0, other: 1000, index: 16 }, cost, 1024));
});

Deno.test("room for a piece: what is left after the worst case, never negative", () => {
  const u = { stream: 500, other: 10, index: 16 };
  const r = roomFor(u, 256, 0, 256, 1 << 20, 1024);
  ok(r > 0 && r <= 256);
  ok(fits(u, worstCase(r, 0, 256, 1 << 20), 1024));
  ok(!fits(u, worstCase(r + 1, 0, 256, 1 << 20), 1024) || r === 256);
  equal(roomFor({ stream: 1000, other: 0, index: 16 }, 256, 0, 256, 1 << 20, 1024), 0);
  equal(roomFor({ stream: 0, other: 1000, index: 16 }, 256, 0, 256, 1 << 20, 1024), 0);
});
