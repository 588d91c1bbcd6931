/** Tests of the bounded output window: live appends, detaching, history merges. */

import { deepEqual as assertEquals, equal } from "node:assert/strict";
import type { UiLine } from "./backend.ts";
import {
  appendLive,
  applyHistory,
  emptyBuffer,
  MAX_LINES,
  newerBefore,
  spareRoom,
  startLoad,
} from "./buffer.ts";

function mk(from: number, to: number, text = (i: number) => `line ${i}`): UiLine[] {
  const out: UiLine[] = [];
  for (let i = from; i < to; i++) {
    out.push({ seq: i, ts: i, stream: "stdout", text: text(i), annotation: false });
  }
  return out;
}
const seqs = (ls: UiLine[]) => [ls[0]?.seq, ls[ls.length - 1]?.seq, ls.length];

Deno.test("a live window keeps at most MAX_LINES, dropping the oldest", () => {
  let b = emptyBuffer();
  for (let i = 0; i < 12; i++) b = appendLive(b, mk(i * 1000, (i + 1) * 1000));
  assertEquals(seqs(b.lines), [12000 - MAX_LINES, 11999, MAX_LINES]);
  equal(b.hasOlder, true);
  equal(b.newestSeq, 11999);
  // One huge burst is cut to the window too.
  b = appendLive(emptyBuffer(), mk(0, 3 * MAX_LINES));
  assertEquals(seqs(b.lines), [2 * MAX_LINES, 3 * MAX_LINES - 1, MAX_LINES]);
});

Deno.test("live lines are sanitized and duplicates (already loaded) are skipped", () => {
  let b = appendLive(emptyBuffer(), mk(0, 3, (i) => `x\x1b[2J${i}`));
  b = appendLive(b, mk(1, 5));
  assertEquals(b.lines.map((l) => l.text), ["x0", "x1", "x2", "line 3", "line 4"]);
});

Deno.test("with limited room (paused), a burst that does not fit detaches the window", () => {
  let b = appendLive(emptyBuffer(), mk(0, MAX_LINES - 10));
  equal(spareRoom(b), 10);
  b = appendLive(b, mk(MAX_LINES - 10, MAX_LINES - 5), spareRoom(b));
  equal(b.live, true);
  b = appendLive(b, mk(MAX_LINES - 5, MAX_LINES + 100), spareRoom(b));
  equal(b.live, false);
  assertEquals(seqs(b.lines), [0, MAX_LINES - 6, MAX_LINES - 5]);
  equal(b.newestSeq, MAX_LINES + 99);
  // Detached: further lines only move newestSeq.
  b = appendLive(b, mk(MAX_LINES + 100, MAX_LINES + 110));
  equal(b.lines.length, MAX_LINES - 5);
  equal(b.newestSeq, MAX_LINES + 109);
});

Deno.test("the newest history merges with live lines that arrived meanwhile", () => {
  let b = startLoad(emptyBuffer(), "newest");
  b = appendLive(b, mk(98, 103)); // arrived while the disk read was in flight
  const r = applyHistory(b, "newest", mk(0, 100), 1000);
  assertEquals(seqs(r.buf.lines), [0, 102, 103]);
  equal(r.buf.loaded, true);
  equal(r.buf.hasOlder, false, "fewer lines than asked: nothing older");
  equal(r.buf.loading, null);
  const full = applyHistory(startLoad(emptyBuffer(), "newest"), "newest", mk(0, 1000), 1000);
  equal(full.buf.hasOlder, true);
});

Deno.test("a detached window reloading its newest lines keeps what arrives during the load", () => {
  let b = appendLive(emptyBuffer(), mk(0, MAX_LINES));
  b = appendLive(b, mk(MAX_LINES, MAX_LINES + 10), 0);
  equal(b.live, false);
  b = startLoad(b, "newest");
  b = appendLive(b, mk(MAX_LINES + 10, MAX_LINES + 20)); // live, during the load
  const r = applyHistory(b, "newest", mk(MAX_LINES - 985, MAX_LINES + 15), 1000);
  equal(r.buf.live, true);
  assertEquals(seqs(r.buf.lines), [MAX_LINES - 985, MAX_LINES + 19, 1005]);
});

Deno.test("older history is prepended; overflowing the window drops the newest and detaches", () => {
  let b = applyHistory(startLoad(emptyBuffer(), "newest"), "newest", mk(9000, 10000), 1000).buf;
  for (let k = 8; k >= 5; k--) {
    b = applyHistory(startLoad(b, "older"), "older", mk(k * 1000, (k + 1) * 1000), 1000).buf;
  }
  assertEquals(seqs(b.lines), [5000, 9999, 5000]);
  equal(b.live, true);
  b = applyHistory(startLoad(b, "older"), "older", mk(4000, 5000), 1000).buf;
  assertEquals(seqs(b.lines), [4000, 8999, MAX_LINES]);
  equal(b.live, false);
  equal(b.hasOlder, true);
  // The start of the log: fewer lines than asked.
  b = applyHistory(startLoad(b, "older"), "older", mk(0, 0), 1000).buf;
  equal(b.hasOlder, false);
});

Deno.test("newer history extends a detached window and re-attaches at the newest line", () => {
  let b = appendLive(emptyBuffer(), mk(0, 100));
  b = appendLive(b, mk(100, 150), 0); // detached, newest 149
  equal(newerBefore(b, 1000), 1100);
  const r = applyHistory(startLoad(b, "newer"), "newer", mk(100, 150), 1000);
  equal(r.fallback, false);
  equal(r.buf.live, true);
  equal(r.buf.lines.length, 150);
  // Nothing newer found although newer lines exist (a gap in seqs): fall back to the newest.
  const gap = applyHistory(startLoad(b, "newer"), "newer", [], 1000);
  equal(gap.fallback, true);
});
