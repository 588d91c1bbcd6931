import { deepEqual, equal } from "node:assert/strict";
import { FLAG_SPLIT, FLAG_UNTERMINATED } from "./index_format.ts";
import { LineSplitter } from "./splitter.ts";

interface Rec {
  offset: number;
  length: number;
  flags: number;
  text: string | null;
}

/**
 * Feeds chunks as a writer would (storing each feed's output) and checks
 * that every record's offset and length point at its bytes in the stored
 * file, followed by a newline.
 */
function feedAll(sp: LineSplitter, chunks: Uint8Array[]): { recs: Rec[]; file: Uint8Array } {
  const recs: Rec[] = [];
  const file: number[] = [];
  for (const c of chunks) {
    const { output } = sp.feed(c, file.length, (offset, length, flags, bytes, chunkStart) => {
      // Bytes come copied when the line began in an earlier chunk; else they are in the chunk.
      const b = bytes ?? c.subarray(chunkStart, chunkStart + length);
      recs.push({ offset, length, flags, text: new TextDecoder().decode(b) });
    }, true);
    file.push(...output);
  }
  const stored = new Uint8Array(file);
  for (const r of recs) {
    equal(new TextDecoder().decode(stored.subarray(r.offset, r.offset + r.length)), r.text);
    equal(stored[r.offset + r.length], 10);
  }
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

Deno.test("flush emits the pending bytes as an unterminated line", () => {
  const sp = new LineSplitter(1024);
  const size = feedAll(sp, [enc("x\npartial")]).file.length;
  const got: Rec[] = [];
  equal(
    sp.flush(size, (offset, length, flags, bytes) => {
      got.push({
        offset,
        length,
        flags,
        text: new TextDecoder().decode(bytes ?? new Uint8Array()),
      });
    }, true),
    true,
  );
  deepEqual(got, [{ offset: 2, length: 7, flags: FLAG_UNTERMINATED, text: "partial" }]);
  equal(sp.flush(size, () => {}, true), false);
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
  equal(sp.feed(chunk, 0, () => {}, false).output, chunk);
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
