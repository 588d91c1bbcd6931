/** Tests of the output pane's layout: follow, paused anchors, wrapping, filtering, scrolling. */

import { deepEqual as assertEquals, equal } from "node:assert/strict";
import type { UiLine } from "./backend.ts";
import { freeze, layout, type Pane, type Scroll, scrollBy, topScroll } from "./layout.ts";

function mk(n: number, text = (i: number) => `l${i}`, from = 0): UiLine[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      seq: i,
      ts: i,
      stream: i % 3 === 2 ? "stderr" : "stdout",
      text: text(i),
      annotation: false,
    };
  });
}
function pane(lines: UiLine[], over: Partial<Pane> = {}): Pane {
  return { lines, mode: "both", test: null, width: 10, height: 4, ...over };
}
const texts = (p: Pane, s: Scroll) => layout(p, s).rows.map((r) => r.text);
const follow: Scroll = { kind: "follow" };

Deno.test("follow shows the last rows; short content starts at the top", () => {
  assertEquals(texts(pane(mk(10)), follow), ["l6", "l7", "l8", "l9"]);
  const short = layout(pane(mk(2)), follow);
  assertEquals(short.rows.map((r) => r.text), ["l0", "l1"]);
  equal(short.atTop && short.atBottom, true);
});

Deno.test("long lines wrap at the pane width, the newest row at the bottom", () => {
  const p = pane(mk(3, (i) => (i === 2 ? "abcdefghijklmnopqrstuvw" : `l${i}`)));
  assertEquals(texts(p, follow), ["l1", "abcdefghij", "klmnopqrst", "uvw"]);
  const top = layout(p, follow).top;
  assertEquals(top, { seq: 1, row: 0 });
  // Paused in the middle of a wrapped line.
  assertEquals(texts(p, { kind: "paused", seq: 2, row: 1 }), [
    "l1",
    "abcdefghij",
    "klmnopqrst",
    "uvw",
  ]);
  const tall = pane(mk(6, (i) => (i === 1 ? "x".repeat(25) : `l${i}`)));
  assertEquals(texts(tall, { kind: "paused", seq: 1, row: 1 }), [
    "xxxxxxxxxx",
    "xxxxx",
    "l2",
    "l3",
  ]);
});

Deno.test("a paused anchor stays put when new lines arrive", () => {
  const s: Scroll = { kind: "paused", seq: 3, row: 0 };
  assertEquals(texts(pane(mk(10)), s), ["l3", "l4", "l5", "l6"]);
  assertEquals(texts(pane(mk(50)), s), ["l3", "l4", "l5", "l6"]);
  equal(layout(pane(mk(50)), s).atBottom, false);
});

Deno.test("a paused anchor near the end shows the last full page", () => {
  const l = layout(pane(mk(10)), { kind: "paused", seq: 8, row: 0 });
  assertEquals(l.rows.map((r) => r.text), ["l6", "l7", "l8", "l9"]);
  equal(l.atBottom, true);
});

Deno.test("stream modes and the filter hide lines; annotations show in every mode", () => {
  const lines = mk(9);
  lines[4] = { ...lines[4], annotation: true, text: "[agent-procs] Restarted (manual)" };
  assertEquals(texts(pane(lines, { mode: "stderr", height: 10 }), follow), [
    "l2",
    "[agent-pro",
    "cs] Restar",
    "ted (manua",
    "l)",
    "l5",
    "l8",
  ]);
  assertEquals(texts(pane(lines, { mode: "stdout", height: 3, width: 40 }), follow), [
    "[agent-procs] Restarted (manual)",
    "l6",
    "l7",
  ]);
  assertEquals(texts(pane(mk(9), { mode: "stdout", height: 3 }), follow), ["l4", "l6", "l7"]);
  const p = pane(mk(30), { test: (s) => s.endsWith("7") });
  assertEquals(texts(p, follow), ["l7", "l17", "l27"]);
  // The filter sees text without SGR sequences.
  const colored = pane([{
    seq: 0,
    ts: 0,
    stream: "stdout",
    text: "\x1b[31mred\x1b[0m",
    annotation: false,
  }], {
    test: (s) => s === "red",
  });
  equal(layout(colored, follow).rows.length, 1);
});

Deno.test("an anchor on a hidden line resolves to the next visible one", () => {
  const p = pane(mk(60), { test: (s) => s.endsWith("5") });
  assertEquals(texts(p, { kind: "paused", seq: 6, row: 0 }), ["l15", "l25", "l35", "l45"]);
});

Deno.test("scrollBy moves by rows across wrapped lines and reports the ends", () => {
  const p = pane(mk(20, (i) => (i === 10 ? "y".repeat(25) : `l${i}`)));
  let r = scrollBy(p, follow, -2);
  assertEquals(texts(p, r.scroll), ["l14", "l15", "l16", "l17"]);
  equal(r.hitTop || r.hitBottom, false);
  r = scrollBy(p, r.scroll, -5); // l12, l11, then into the 3-row line 10
  assertEquals(r.scroll, { kind: "paused", seq: 10, row: 1 });
  r = scrollBy(p, r.scroll, -100);
  assertEquals(r.scroll, { kind: "paused", seq: 0, row: 0 });
  equal(r.hitTop, true);
  r = scrollBy(p, r.scroll, 3);
  assertEquals(texts(p, r.scroll), ["l3", "l4", "l5", "l6"]);
  r = scrollBy(p, r.scroll, 100);
  equal(r.hitBottom, true);
  assertEquals(texts(p, r.scroll), ["l16", "l17", "l18", "l19"]);
});

Deno.test("freeze keeps the screen as it is; topScroll goes to the first visible line", () => {
  const p = pane(mk(10));
  const frozen = freeze(p, follow);
  assertEquals(frozen, { kind: "paused", seq: 6, row: 0 });
  assertEquals(texts(pane(mk(100)), frozen), ["l6", "l7", "l8", "l9"]);
  assertEquals(topScroll(pane(mk(10), { test: (s) => s !== "l0" })), {
    kind: "paused",
    seq: 1,
    row: 0,
  });
  assertEquals(topScroll(pane([])), follow);
});
