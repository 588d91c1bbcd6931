import { deepEqual, equal } from "node:assert/strict";
import { FLAG_SPLIT, FLAG_UNTERMINATED } from "./index_format.ts";
import { LineSplitter } from "./splitter.ts";

interface Rec {
  offset: number;
  length: number;
  flags: number;
  text: string | null;
}

/** Feeds chunks as a writer would (file offsets advance by chunk length). */
function feedAll(sp: LineSplitter, chunks: Uint8Array[], wantBytes = true): { recs: Rec[]; size: number } {
  const recs: Rec[] = [];
  let size = 0;
  const file: number[] = [];
  for (const c of chunks) {
    file.push(...c);
    sp.feed(c, size, (offset, length, flags, bytes) => {
      // Bytes come copied when the line began in an earlier chunk; else read them from the "file".
      const b = bytes ?? new Uint8Array(file.slice(offset, offset + length));
      recs.push({ offset, length, flags, text: wantBytes ? new TextDecoder().decode(b) : null });
    }, wantBytes);
    size += c.length;
  }
  return { recs, size };
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
  const { size } = feedAll(sp, [enc("x\npartial")]);
  const got: Rec[] = [];
  equal(
    sp.flush(size, (offset, length, flags, bytes) => got.push({ offset, length, flags, text: new TextDecoder().decode(bytes!) }), true),
    true,
  );
  deepEqual(got, [{ offset: 2, length: 7, flags: FLAG_UNTERMINATED, text: "partial" }]);
  equal(sp.flush(size, () => {}, true), false);
});

Deno.test("over-long lines are split into max-size records, also across chunks", () => {
  const sp = new LineSplitter(4);
  const { recs } = feedAll(sp, [enc("abcdefghij\n"), enc("kl"), enc("mnopq"), enc("r\n")]);
  deepEqual(recs.map((r) => [r.offset, r.length, r.flags, r.text]), [
    [0, 4, FLAG_SPLIT, "abcd"],
    [4, 4, FLAG_SPLIT, "efgh"],
    [8, 2, 0, "ij"],
    [11, 4, FLAG_SPLIT, "klmn"],
    [15, 4, 0, "opqr"],
  ]);
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
