import { deepEqual, equal, ok } from "node:assert/strict";
import { FLAG_SPLIT, FLAG_UNTERMINATED } from "./index_format.ts";
import { LineSplitter, type Run } from "./splitter.ts";

interface Rec {
  offset: number;
  length: number;
  flags: number;
  text: string | null;
}

/** The lines of runs, found by splitting each run's stored bytes at newlines. */
function expand(runs: Run[], stored: Uint8Array): Rec[] {
  const recs: Rec[] = [];
  for (const r of runs) {
    let at = r.offset;
    const end = r.offset + r.length;
    equal(stored[end - 1], 10, "a run ends with a newline");
    for (let k = 0; k < r.count; k++) {
      const nl = stored.indexOf(10, at);
      ok(nl >= 0 && nl < end, "a run holds `count` lines");
      recs.push({
        offset: at,
        length: nl - at,
        flags: r.flags,
        text: new TextDecoder().decode(stored.subarray(at, nl)),
      });
      at = nl + 1;
    }
    equal(at, end, "nothing after the run's last line");
  }
  return recs;
}

/**
 * Feeds chunks as a writer would (storing each feed's output) and returns
 * the completed lines, checking that each run's bytes hold exactly its lines.
 */
function feedAll(sp: LineSplitter, chunks: Uint8Array[]): { recs: Rec[]; file: Uint8Array } {
  const runs: Run[] = [];
  const file: number[] = [];
  let count = 0;
  for (const c of chunks) {
    const r = sp.feed(c, file.length);
    runs.push(...r.runs);
    count += r.count;
    file.push(...r.output);
  }
  const stored = new Uint8Array(file);
  const recs = expand(runs, stored);
  equal(recs.length, count);
  return { recs, file: stored };
}

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("lines within and across chunks get file offsets and lengths", () => {
  const sp = new LineSplitter(1024);
  const { recs } = feedAll(sp, [enc("ab\ncd"), enc("ef\n\ng"), enc("h")]);
  deepEqual(recs, [
    { offset: 0, length: 2, flags: 0, text: "ab" },
    { offset: 3, length: 4, flags: 0, text: "cdef" },
    { offset: 8, length: 0, flags: 0, text: "" },
  ]);
  equal(sp.pendingLength, 2);
  deepEqual([...sp.pending()], [...enc("gh")]);
});

Deno.test("flush returns the pending bytes as an unterminated line", () => {
  const sp = new LineSplitter(1024);
  const size = feedAll(sp, [enc("x\npartial")]).file.length;
  deepEqual(sp.flush(size), { offset: 2, length: 8, count: 1, flags: FLAG_UNTERMINATED });
  equal(sp.flush(size), null);
});

Deno.test("over-long lines are split into max-size records, each followed by a stored newline", () => {
  const sp = new LineSplitter(4);
  const { recs, file } = feedAll(sp, [enc("abcdefghij\n"), enc("kl"), enc("mnopq"), enc("r\n")]);
  deepEqual(recs.map((r) => [r.offset, r.length, r.flags, r.text]), [
    [0, 4, FLAG_SPLIT, "abcd"],
    [5, 4, FLAG_SPLIT, "efgh"],
    [10, 2, 0, "ij"],
    [13, 4, FLAG_SPLIT, "klmn"],
    [18, 4, 0, "opqr"],
  ]);
  equal(new TextDecoder().decode(file), "abcd\nefgh\nij\nklmn\nopqr\n");
});

Deno.test("a full pending line is cut where its stored bytes end", () => {
  const sp = new LineSplitter(4);
  const { recs, file } = feedAll(sp, [enc("abcd"), enc("ef\n")]);
  deepEqual(recs.map((r) => [r.offset, r.length, r.flags, r.text]), [[0, 4, FLAG_SPLIT, "abcd"], [
    5,
    2,
    0,
    "ef",
  ]]);
  equal(new TextDecoder().decode(file), "abcd\nef\n");
});

Deno.test("a chunk without cuts is stored as it is (no copy)", () => {
  const sp = new LineSplitter(100);
  const chunk = enc("a\nb\n");
  equal(sp.feed(chunk, 0).output, chunk);
});

Deno.test("a line of exactly the maximum is not split", () => {
  const sp = new LineSplitter(4);
  const { recs } = feedAll(sp, [enc("abcd"), enc("\n")]);
  deepEqual(recs.map((r) => [r.length, r.flags]), [[4, 0]]);
});

Deno.test("splits back off to a UTF-8 character boundary", () => {
  const sp = new LineSplitter(5);
  // "ab" + "€" (3 bytes) + "€" : a cut at 5 would fall inside the second "€".
  const { recs } = feedAll(sp, [enc("ab€€cd\n")]);
  deepEqual(recs.map((r) => r.text), ["ab€", "€cd"]);
  equal(recs[0].flags, FLAG_SPLIT);
});

Deno.test("invalid bytes never stop splitting", () => {
  const sp = new LineSplitter(4);
  const bad = new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 10]);
  const { recs } = feedAll(sp, [bad]);
  deepEqual(recs.map((r) => r.length), [4, 4, 1]);
});

Deno.test("short lines make one run per chunk; runs stop at the size limit", () => {
  const sp = new LineSplitter(100, 16);
  const r = sp.feed(enc("a\nb\nc\n"), 0);
  deepEqual(r.runs, [{ offset: 0, length: 6, count: 3, flags: 0 }]);
  const { recs } = feedAll(new LineSplitter(100, 16), [enc("aaaa\n".repeat(10))]);
  equal(recs.length, 10);
  const sp2 = new LineSplitter(100, 16);
  const runs = sp2.feed(enc("aaaa\n".repeat(10)), 0).runs;
  deepEqual(runs.map((x) => x.count), [3, 3, 3, 1]);
});

Deno.test("a cut line and the short lines after it are separate runs (their flags differ)", () => {
  const sp = new LineSplitter(4);
  const r = sp.feed(enc("abcdef\ng\nh\n"), 0);
  deepEqual(r.runs.map((x) => [x.count, x.flags]), [[1, FLAG_SPLIT], [3, 0]]);
});
