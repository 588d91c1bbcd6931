import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { FLAG_SPLIT, FLAG_UNTERMINATED, HEADER_BYTES, RECORD_BYTES } from "./index_format.ts";
import { readLogs } from "./reader.ts";
import { allText, enc, withTempDir } from "./test_support.ts";
import { type LogLine, LogWriter } from "./writer.ts";
import { LogView } from "./log_view.ts";

const both: ("stdout" | "stderr")[] = ["stdout", "stderr"];

Deno.test("round trip: lines of both streams in sequence order, live and read back", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    const live: LogLine[] = [];
    w.onLines = (ls) => live.push(...ls);
    equal(w.write(0, enc("one\ntwo\n"), 1), 2);
    equal(w.write(1, enc("oops\n"), 1), 1);
    equal(w.write(0, enc("three\n"), 1), 1);
    equal(w.nextSeq, 5);
    w.close();
    const read = readLogs(dir, { streams: both });
    deepEqual(read, live);
    deepEqual(read.map((l) => [l.seq, l.stream, l.text, l.generation, l.annotation]), [
      [1, "stdout", "one", 1, false],
      [2, "stdout", "two", 1, false],
      [3, "stderr", "oops", 1, false],
      [4, "stdout", "three", 1, false],
    ]);
    deepEqual(readLogs(dir, { streams: ["stderr"] }).map((l) => l.text), ["oops"]);
  }));

Deno.test("files are created 0600 in a 0700 directory, each with the first bytes it holds", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(`${dir}/p`);
    w.write(0, enc("x\n"), 1);
    w.close();
    equal(Deno.statSync(`${dir}/p`).mode! & 0o777, 0o700);
    const names = () => [...Deno.readDirSync(`${dir}/p`)].map((e) => e.name).sort();
    deepEqual(names(), ["idx.1.bin", "out.1.log"]);
    const again = LogWriter.open(`${dir}/p`);
    again.write(1, enc("e\n"), 2);
    again.close();
    deepEqual(names(), ["err.1.log", "idx.1.bin", "out.1.log"]);
    for (const n of names()) equal(Deno.statSync(`${dir}/p/${n}`).mode! & 0o077, 0, n);
    deepEqual(readLogs(`${dir}/p`, { streams: both }).map((l) => l.text), ["x", "e"]);
  }));

Deno.test("a log that is never written creates nothing, not even its directory", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(`${dir}/p`);
    w.endStream(0, 1);
    w.endStream(1, 1);
    w.close();
    throws(() => Deno.statSync(`${dir}/p`), Deno.errors.NotFound);
    deepEqual(readLogs(`${dir}/p`, { streams: both }), []);
    const annotated = LogWriter.open(`${dir}/q`);
    annotated.annotate("note", 1);
    annotated.close();
    deepEqual(readLogs(`${dir}/q`, { streams: both }).map((l) => l.text), ["note"]);
  }));

Deno.test("restarts: generations change, annotations interleave, seq continues", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    w.write(0, enc("gen1 out\n"), 1);
    w.write(1, enc("gen1 err\n"), 1);
    w.endStream(0, 1);
    w.endStream(1, 1);
    w.annotate("[agent-procs] Restarted (exit 1, attempt 1/3)", 1);
    w.write(1, enc("gen2 err\n"), 2);
    w.write(0, enc("gen2 out\n"), 2);
    w.close();
    const lines = readLogs(dir, { streams: both });
    deepEqual(lines.map((l) => [l.seq, l.generation, l.stream, l.annotation, l.text]), [
      [1, 1, "stdout", false, "gen1 out"],
      [2, 1, "stderr", false, "gen1 err"],
      [3, 1, "stdout", true, "[agent-procs] Restarted (exit 1, attempt 1/3)"],
      [4, 2, "stderr", false, "gen2 err"],
      [5, 2, "stdout", false, "gen2 out"],
    ]);
  }));

Deno.test("partial lines across chunks: bytes on disk at once, indexed when the newline comes", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    equal(w.write(0, enc("hel"), 1), 0);
    equal(Deno.readTextFileSync(`${dir}/out.1.log`), "hel");
    deepEqual(allText(dir), []);
    equal(w.write(1, enc("e1\ne"), 1), 1);
    equal(w.write(0, enc("lo wo"), 1), 0);
    equal(w.write(0, enc("rld\nnext"), 1), 1);
    equal(w.write(1, enc("2\n"), 1), 1);
    deepEqual(allText(dir), ["e:e1", "o:hello world", "e:e2"]);
    w.endStream(0, 1);
    deepEqual(allText(dir), ["e:e1", "o:hello world", "e:e2", "o:next"]);
    w.close();
  }));

Deno.test("an annotation while a stdout line is pending completes that line first", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    w.write(0, enc("half"), 1);
    w.annotate("[agent-procs] File changed (a.ts), restarted", 1);
    w.write(0, enc("new\n"), 2);
    w.close();
    deepEqual(allText(dir), ["o:half", "o:[agent-procs] File changed (a.ts), restarted", "o:new"]);
    equal(
      Deno.readTextFileSync(`${dir}/out.1.log`),
      "half\n[agent-procs] File changed (a.ts), restarted\nnew\n",
    );
  }));

Deno.test("annotation text with newlines stays one line", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    w.annotate("a\nb\r\nc", 3);
    w.close();
    deepEqual(readLogs(dir, { streams: both }).map((l) => [l.text, l.annotation, l.generation]), [[
      "a b c",
      true,
      3,
    ]]);
  }));

Deno.test("a 1 MB line without newline: split records, readable, flushed at endStream", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    const big = new Uint8Array(1024 * 1024).fill(0x61);
    big[0] = 0x62;
    let completed = 0;
    for (let off = 0; off < big.length; off += 65536) {
      completed += w.write(0, big.subarray(off, off + 65536), 1);
    }
    equal(completed, 15); // the 16th 64 KiB piece waits: it may still get its newline
    w.endStream(0, 1);
    w.write(0, enc("after\n"), 1);
    w.close();
    const lines = readLogs(dir, { streams: ["stdout"] });
    equal(lines.length, 17);
    equal(lines.slice(0, 16).map((l) => l.text).join(""), "b" + "a".repeat(1024 * 1024 - 1));
    equal(lines[16].text, "after");
    const view = LogView.open(dir);
    try {
      const flags = Array.from({ length: 17 }, (_, i) => view.refAt(i + 1).flags);
      deepEqual(flags.slice(0, 15), Array(15).fill(FLAG_SPLIT));
      equal(flags[15], FLAG_UNTERMINATED);
      equal(flags[16], 0);
    } finally {
      view.close();
    }
  }));

Deno.test("invalid UTF-8 is stored raw and read with replacement characters", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    w.write(0, new Uint8Array([0x6f, 0x6b, 0xff, 0xc3, 0x28, 10, 0xe2, 0x82, 10]), 1);
    w.close();
    deepEqual(readLogs(dir, { streams: both }).map((l) => l.text), ["ok\uFFFD\uFFFD(", "\uFFFD"]);
    deepEqual([...Deno.readFileSync(`${dir}/out.1.log`)].slice(0, 5), [
      0x6f,
      0x6b,
      0xff,
      0xc3,
      0x28,
    ]);
  }));

Deno.test("CRLF and \\r progress lines", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    w.write(0, enc("windows\r\nprogress 1%\rprogress 50%"), 1);
    w.write(0, enc("\rprogress 100%\r\ndone\n"), 1);
    w.close();
    deepEqual(allText(dir), ["o:windows", "o:progress 100%", "o:done"]);
  }));

Deno.test("rotation: small segments, reading across boundaries, old ones deleted, seq continues", () =>
  withTempDir(async (dir) => {
    const seg = 1024;
    const w = LogWriter.open(dir, { maxSegmentBytes: seg, keepSegments: 3 });
    const expected: string[] = [];
    for (let i = 1; i <= 600; i++) {
      const stream = i % 4 === 0 ? 1 : 0;
      const text = `line ${i} ${"x".repeat(i % 7)}`;
      // Half of the lines arrive in two pieces, so partial lines get carried into new segments.
      if (i % 2) {
        w.write(stream, enc(text.slice(0, 4)), 1);
        w.write(stream, enc(text.slice(4) + "\n"), 1);
      } else {
        w.write(stream, enc(text + "\n"), 1);
      }
      expected.push(text);
    }
    ok(w.segment > 3);
    // Old segments are renamed away at once and unlinked in the background.
    const names = () => [...Deno.readDirSync(dir)].map((e) => e.name);
    ok(names().every((n) => n.endsWith(".deleted") || Number(n.split(".")[1]) > w.segment - 3));
    await w.deleted();
    const segs = new Set([...Deno.readDirSync(dir)].map((e) => Number(e.name.split(".")[1])));
    deepEqual([...segs].sort((a, b) => a - b), [w.segment - 2, w.segment - 1, w.segment]);
    const lines = readLogs(dir, { streams: both });
    ok(lines.length > 30 && lines.length < 600, `${lines.length} lines`);
    deepEqual(lines.map((l) => l.text), expected.slice(600 - lines.length));
    deepEqual(
      lines.map((l) => l.seq),
      Array.from({ length: lines.length }, (_, i) => 601 - lines.length + i),
    );
    // The bound: each stream file plus the index within one segment size.
    for (const n of segs) {
      const size = (name: string) => Deno.statSync(`${dir}/${name}`).size;
      const idx = size(`idx.${n}.bin`);
      ok(size(`out.${n}.log`) + idx <= seg, `segment ${n}`);
      ok(size(`err.${n}.log`) + idx <= seg, `segment ${n}`);
    }
    w.close();
    const w2 = LogWriter.open(dir, { maxSegmentBytes: seg, keepSegments: 3 });
    equal(w2.nextSeq, 601);
    w2.close();
  }));

Deno.test("the disk bound holds for 2-byte lines, long lines and mixed streams", () =>
  withTempDir(async (dir) => {
    const seg = 64 * 1024;
    const keep = 3;
    const w = LogWriter.open(dir, { maxSegmentBytes: seg, keepSegments: keep });
    const yes = enc("y\n".repeat(20_000));
    const long = new Uint8Array(300_000).fill(0x61);
    for (let i = 0; i < 40; i++) {
      w.write(0, yes, 1);
      w.write(1, yes.subarray(0, 1 + i * 997), 1);
      if (i % 10 === 0) w.write(0, long, 1);
      await w.deleted();
      let total = 0;
      for (const e of Deno.readDirSync(dir)) total += Deno.statSync(`${dir}/${e.name}`).size;
      ok(total <= seg * keep * 2, `${total} bytes on disk after write ${i}`);
    }
    w.close();
    equal(readLogs(dir, { streams: ["stdout"], tail: 1 })[0].text, "y");
  }));

Deno.test("reopen appends to the newest segment and continues the sequence", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    w.write(0, enc("a\nb\n"), 1);
    w.close();
    const w2 = LogWriter.open(dir);
    equal(w2.nextSeq, 3);
    w2.write(0, enc("c\n"), 2);
    w2.close();
    deepEqual(readLogs(dir, { streams: both }).map((l) => [l.seq, l.text, l.generation]), [
      [1, "a", 1],
      [2, "b", 1],
      [
        3,
        "c",
        2,
      ],
    ]);
    equal(Deno.readTextFileSync(`${dir}/out.1.log`), "a\nb\nc\n");
  }));

Deno.test("crash recovery: a torn index record is trimmed and unindexed bytes become lines", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    w.write(0, enc("one\ntwo\n"), 4);
    w.write(1, enc("err\n"), 4);
    w.close();
    // Simulate a crash: a record torn mid-write, and stdout bytes whose index write never happened.
    const idx = `${dir}/idx.1.bin`;
    Deno.writeFileSync(idx, new Uint8Array(10), { append: true });
    Deno.writeFileSync(`${dir}/out.1.log`, enc("three\nfour-without-newline"), { append: true });
    const w2 = LogWriter.open(dir);
    // Blocks: one per write (2), then the recovered complete line and the unterminated one.
    equal(Deno.statSync(idx).size, HEADER_BYTES + RECORD_BYTES * 4);
    equal(w2.nextSeq, 6);
    w2.write(0, enc("five\n"), 5);
    w2.close();
    deepEqual(readLogs(dir, { streams: both }).map((l) => [l.seq, l.text, l.generation]), [
      [1, "one", 4],
      [2, "two", 4],
      [3, "err", 4],
      [4, "three", 4],
      [5, "four-without-newline", 4],
      [6, "five", 5],
    ]);
  }));

Deno.test("a reader ignores a torn trailing record written by a live writer", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    w.write(0, enc("a\nb\n"), 1);
    Deno.writeFileSync(`${dir}/idx.1.bin`, new Uint8Array(7), { append: true });
    deepEqual(allText(dir), ["o:a", "o:b"]);
    w.close();
  }));

Deno.test("an unreadable newest index is left alone and a new segment starts", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    w.write(0, enc("a\n"), 1);
    w.close();
    Deno.writeFileSync(`${dir}/idx.1.bin`, enc("garbage garbage garbage"));
    const w2 = LogWriter.open(dir);
    equal(w2.segment, 2);
    w2.write(0, enc("b\n"), 1);
    w2.close();
    deepEqual(allText(dir), ["o:b"]);
  }));

Deno.test("close indexes pending partial lines with their generation", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir);
    w.write(1, enc("tail without newline"), 7);
    w.close();
    deepEqual(readLogs(dir, { streams: both }).map((l) => [l.text, l.generation, l.stream]), [[
      "tail without newline",
      7,
      "stderr",
    ]]);
  }));

Deno.test("timestamps never go backwards, even when the clock does", () =>
  withTempDir((dir) => {
    let now = 5000;
    const w = LogWriter.open(dir, { clock: () => now });
    w.write(0, enc("a\n"), 1);
    now = 1000;
    w.write(0, enc("b\n"), 1);
    now = 9000;
    w.write(0, enc("c\n"), 1);
    w.close();
    deepEqual(readLogs(dir, { streams: both }).map((l) => l.ts), [5000, 5000, 9000]);
  }));

Deno.test("writing never throws: an I/O error is kept in lastError", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir, { maxSegmentBytes: 1024 });
    w.write(0, enc("abcdefgh\n"), 1);
    Deno.removeSync(dir, { recursive: true });
    Deno.writeFileSync(dir, enc("not a dir")); // rotation cannot create files any more
    equal(w.write(0, enc("more\n".repeat(300)), 1), 0);
    ok(w.lastError instanceof Error);
    w.close();
    Deno.removeSync(dir);
    Deno.mkdirSync(dir);
  }));

Deno.test("open removes what a crash left of a deletion, and nothing else", () =>
  withTempDir((dir) => {
    Deno.writeTextFileSync(`${dir}/out.1.log.deleted`, "old");
    Deno.writeTextFileSync(`${dir}/notes.deleted`, "not ours");
    const w = LogWriter.open(dir);
    w.close();
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["notes.deleted"]);
  }));

Deno.test("big segments are deleted in the background: renamed away at once, gone after deleted()", () =>
  withTempDir(async (dir) => {
    const seg = 8 * 1024 * 1024;
    const w = LogWriter.open(dir, { maxSegmentBytes: seg, keepSegments: 1 });
    const chunk = enc(`${"z".repeat(99)}\n`.repeat(655));
    let rotations = 0;
    for (let i = 0; i < 400; i++) {
      const before = w.segment;
      w.write(0, chunk, 1);
      if (w.segment === before) continue;
      rotations++;
      // Readers see only the kept segment at once, whatever is still being unlinked.
      const live = [...Deno.readDirSync(dir)].filter((e) => !e.name.endsWith(".deleted"));
      deepEqual(live.map((e) => Number(e.name.split(".")[1])), live.map(() => w.segment));
    }
    ok(rotations >= 2, `${rotations} rotations`);
    await w.deleted();
    w.close();
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      `idx.${w.segment}.bin`,
      `out.${w.segment}.log`,
    ]);
    equal(readLogs(dir, { streams: both, tail: 1 })[0].text, "z".repeat(99));
  }));

Deno.test("whole lines are never split between segments: each stream file holds only whole lines", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir, { maxSegmentBytes: 1024, keepSegments: 100 });
    const lines: string[] = [];
    for (let i = 1; i <= 300; i++) {
      const text = `line ${i} ${"p".repeat(i % 23)}`;
      lines.push(text);
      w.write(0, enc(text + "\n"), 1);
    }
    w.close();
    ok(w.segment > 5);
    let joined = "";
    for (let n = 1; n <= w.segment; n++) joined += Deno.readTextFileSync(`${dir}/out.${n}.log`);
    equal(joined, lines.join("\n") + "\n");
  }));
