import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { type LogEntry, logExists, LogQueryError, queryLogs, readLogs } from "./reader.ts";
import { enc, withTempDir } from "./test_support.ts";
import { LogWriter } from "./writer.ts";

const both: ("stdout" | "stderr")[] = ["stdout", "stderr"];
const out: ("stdout" | "stderr")[] = ["stdout"];

/** Writes `n` lines `line i` (every 5th on stderr, generation = 1 + floor(i / 10), ts = 1000 * i). */
function fixture(
  dir: string,
  n = 40,
  opts: { maxSegmentBytes?: number; keepSegments?: number } = {},
): void {
  let now = 0;
  const w = LogWriter.open(dir, { ...opts, clock: () => now });
  for (let i = 1; i <= n; i++) {
    now = 1000 * i;
    w.write(
      i % 5 === 0 ? 1 : 0,
      enc(`line ${i}${i % 7 === 0 ? " match" : ""}\n`),
      1 + Math.floor(i / 10),
    );
  }
  w.close();
}

/** Entries as compact strings: text, `+text` for context, `--` for separators. */
function show(es: LogEntry[]): string[] {
  return es.map((e) => e.kind === "separator" ? "--" : `${e.context ? "+" : ""}${e.line.text}`);
}

Deno.test("a missing directory has no logs and no lines", () =>
  withTempDir((dir) => {
    equal(logExists(`${dir}/nope`), false);
    deepEqual(readLogs(`${dir}/nope`, { streams: both }), []);
    fixture(`${dir}/p`, 1);
    equal(logExists(`${dir}/p`), true);
  }));

Deno.test("tail: last N of the chosen streams", () =>
  withTempDir((dir) => {
    fixture(dir);
    deepEqual(readLogs(dir, { streams: both, tail: 3 }).map((l) => l.text), [
      "line 38",
      "line 39",
      "line 40",
    ]);
    deepEqual(readLogs(dir, { streams: out, tail: 3 }).map((l) => l.text), [
      "line 37",
      "line 38",
      "line 39",
    ]);
    deepEqual(readLogs(dir, { streams: ["stderr"], tail: 2 }).map((l) => l.text), [
      "line 35 match",
      "line 40",
    ]);
    equal(readLogs(dir, { streams: both, tail: 1000 }).length, 40);
    deepEqual(readLogs(dir, { streams: both, tail: 0 }), []);
    deepEqual(readLogs(dir, { streams: [] }), []);
  }));

Deno.test("grep: substring, regex, ignore case, tail of the matches", () =>
  withTempDir((dir) => {
    fixture(dir);
    deepEqual(
      readLogs(dir, { streams: both, grep: { pattern: "match", regex: false } }).map((l) => l.text),
      [
        "line 7 match",
        "line 14 match",
        "line 21 match",
        "line 28 match",
        "line 35 match",
      ],
    );
    deepEqual(
      readLogs(dir, { streams: ["stderr"], grep: { pattern: "match", regex: false } }).map((l) =>
        l.text
      ),
      ["line 35 match"],
    );
    deepEqual(
      readLogs(dir, { streams: both, grep: { pattern: "^line 3\\d$", regex: true }, tail: 2 }).map((
        l,
      ) => l.text),
      ["line 38", "line 39"],
    );
    deepEqual(
      readLogs(dir, { streams: both, grep: { pattern: "LINE 40", regex: false, ignoreCase: true } })
        .map((l) => l.seq),
      [40],
    );
    throws(
      () => readLogs(dir, { streams: both, grep: { pattern: "(", regex: true } }),
      LogQueryError,
    );
  }));

Deno.test("context: lines around matches, merged windows, -- between groups", () =>
  withTempDir((dir) => {
    fixture(dir);
    const q = { streams: both, grep: { pattern: "^line (7|9|20)\\b", regex: true } };
    deepEqual(show(queryLogs(dir, { ...q, context: 1 })), [
      "+line 6",
      "line 7 match",
      "+line 8",
      "line 9",
      "+line 10",
      "--",
      "+line 19",
      "line 20",
      "+line 21 match",
    ]);
    // Overlapping windows merge into one group.
    deepEqual(show(queryLogs(dir, { ...q, context: 5 })), [
      "+line 2",
      "+line 3",
      "+line 4",
      "+line 5",
      "+line 6",
      "line 7 match",
      "+line 8",
      "line 9",
      "+line 10",
      "+line 11",
      "+line 12",
      "+line 13",
      "+line 14 match",
      "+line 15",
      "+line 16",
      "+line 17",
      "+line 18",
      "+line 19",
      "line 20",
      "+line 21 match",
      "+line 22",
      "+line 23",
      "+line 24",
      "+line 25",
    ]);
    // Context follows the chosen streams only: stdout skips every 5th line.
    deepEqual(
      show(queryLogs(dir, { streams: out, grep: { pattern: "line 9$", regex: true }, context: 1 })),
      [
        "+line 8",
        "line 9",
        "+line 11",
      ],
    );
    // Adjacent windows (6-8 and 9-11 with context 1 around 7 and 10) join without a separator.
    deepEqual(
      show(
        queryLogs(dir, {
          streams: both,
          grep: { pattern: "^line (7|10)\\b", regex: true },
          context: 1,
        }),
      ),
      [
        "+line 6",
        "line 7 match",
        "+line 8",
        "+line 9",
        "line 10",
        "+line 11",
      ],
    );
    // readLogs leaves context out.
    deepEqual(readLogs(dir, { ...q, context: 3 }).map((l) => l.text), [
      "line 7 match",
      "line 9",
      "line 20",
    ]);
  }));

Deno.test("context with tail: last N matches, their context, nothing before", () =>
  withTempDir((dir) => {
    fixture(dir);
    deepEqual(
      show(
        queryLogs(dir, {
          streams: both,
          grep: { pattern: "match", regex: false },
          context: 1,
          tail: 2,
        }),
      ),
      [
        "+line 27",
        "line 28 match",
        "+line 29",
        "--",
        "+line 34",
        "line 35 match",
        "+line 36",
      ],
    );
  }));

Deno.test("since, minGeneration and afterSeq, each and combined", () =>
  withTempDir((dir) => {
    fixture(dir);
    deepEqual(readLogs(dir, { streams: both, sinceMs: 37_500 }).map((l) => l.seq), [38, 39, 40]);
    deepEqual(readLogs(dir, { streams: both, sinceMs: 38_000 }).map((l) => l.seq), [38, 39, 40]);
    deepEqual(readLogs(dir, { streams: both, sinceMs: 99_000 }), []);
    equal(readLogs(dir, { streams: both, sinceMs: 0 }).length, 40);
    deepEqual(
      readLogs(dir, { streams: both, minGeneration: 4 }).map((l) => l.seq),
      [30, 31, 32, 33, 34, 35, 36, 37, 38, 39]
        .concat([40]),
    );
    deepEqual(readLogs(dir, { streams: both, minGeneration: 9 }), []);
    deepEqual(readLogs(dir, { streams: both, afterSeq: 37 }).map((l) => l.seq), [38, 39, 40]);
    deepEqual(readLogs(dir, { streams: both, afterSeq: -1 }).length, 40);
    deepEqual(
      readLogs(dir, { streams: out, minGeneration: 3, sinceMs: 25_000, afterSeq: 30, tail: 3 }).map(
        (l) => l.seq,
      ),
      [37, 38, 39],
    );
    deepEqual(
      readLogs(dir, {
        streams: both,
        minGeneration: 2,
        grep: { pattern: "match", regex: false },
        tail: 2,
        afterSeq: 0,
      })
        .map((l) => l.seq),
      [28, 35],
    );
    deepEqual(
      show(
        queryLogs(dir, {
          streams: both,
          sinceMs: 20_000,
          grep: { pattern: "line 21", regex: false },
          context: 3,
        }),
      ),
      ["+line 20", "line 21 match", "+line 22", "+line 23", "+line 24"],
    );
  }));

Deno.test("queries read across segment boundaries after rotation", () =>
  withTempDir((dir) => {
    fixture(dir, 200, { maxSegmentBytes: 1024, keepSegments: 100 });
    ok([...Deno.readDirSync(dir)].length > 15);
    equal(readLogs(dir, { streams: both }).length, 200);
    deepEqual(
      readLogs(dir, { streams: both, tail: 25 }).map((l) => l.seq),
      Array.from({ length: 25 }, (_, i) => 176 + i),
    );
    const matches = readLogs(dir, { streams: both, grep: { pattern: "match", regex: false } }).map((
      l,
    ) => l.seq);
    deepEqual(matches, Array.from({ length: 28 }, (_, i) => 7 * (i + 1)));
    deepEqual(
      readLogs(dir, { streams: both, grep: { pattern: "match", regex: false }, tail: 3 }).map((l) =>
        l.seq
      ),
      [
        182,
        189,
        196,
      ],
    );
    deepEqual(
      show(
        queryLogs(dir, {
          streams: ["stderr"],
          grep: { pattern: "line 100$", regex: true },
          context: 2,
        }),
      ),
      [
        "+line 90",
        "+line 95",
        "line 100",
        "+line 105 match",
        "+line 110",
      ],
    );
    equal(readLogs(dir, { streams: both, sinceMs: 150_000, minGeneration: 17 })[0].seq, 160);
    equal(readLogs(dir, { streams: both, sinceMs: 165_000, minGeneration: 16 })[0].seq, 165);
  }));

Deno.test("browser stream: its own file, only when written; masks of any streams", () =>
  withTempDir((dir) => {
    let now = 0;
    const w = LogWriter.open(dir, { clock: () => ++now });
    w.write(0, enc("out 1\n"), 1);
    equal(Deno.readDirSync(dir).some((e) => e.name.startsWith("web.")), false);
    w.write(2, enc("[browser] log hi\n[browser] error boom (http://x/a.js:1:2)\n"), 1);
    w.write(1, enc("err 1\n"), 1);
    w.write(0, enc("out 2\n"), 1);
    w.close();
    ok(Deno.statSync(`${dir}/web.1.log`).isFile);
    const texts = (streams: ("stdout" | "stderr" | "browser")[], q = {}) =>
      readLogs(dir, { streams, ...q }).map((l) => `${l.stream}:${l.text}`);
    deepEqual(texts(["browser"]), [
      "browser:[browser] log hi",
      "browser:[browser] error boom (http://x/a.js:1:2)",
    ]);
    deepEqual(texts(["stdout", "browser"], { tail: 2 }), [
      "browser:[browser] error boom (http://x/a.js:1:2)",
      "stdout:out 2",
    ]);
    deepEqual(texts(["stderr", "browser"], { grep: { pattern: "o", regex: false } }), [
      "browser:[browser] log hi",
      "browser:[browser] error boom (http://x/a.js:1:2)",
    ]);
    deepEqual(readLogs(dir, { streams: ["stdout", "stderr", "browser"] }).map((l) => l.seq), [
      1,
      2,
      3,
      4,
      5,
    ]);
    // Reopening resumes with the browser file as it was.
    const again = LogWriter.open(dir, { clock: () => ++now });
    again.write(2, enc("[browser] warn later\n"), 2);
    again.close();
    deepEqual(texts(["browser"], { tail: 1 }), ["browser:[browser] warn later"]);
  }));

Deno.test("browser stream: rotation keeps it within the bound and deletes its old files", () =>
  withTempDir((dir) => {
    const w = LogWriter.open(dir, { maxSegmentBytes: 4096, keepSegments: 2 });
    for (let i = 0; i < 400; i++) w.write(i % 2 ? 0 : 2, enc(`[browser] log line ${i}\n`), 1);
    w.close();
    const files = [...Deno.readDirSync(dir)].map((e) => e.name);
    const webs = files.filter((n) => n.startsWith("web."));
    ok(webs.length <= 2, `at most 2 browser files kept: ${webs}`);
    for (const n of files) ok(Deno.statSync(`${dir}/${n}`).size <= 4096, `${n} within the bound`);
    deepEqual(readLogs(dir, { streams: ["browser"], tail: 1 }).map((l) => l.text), [
      "[browser] log line 398",
    ]);
  }));
