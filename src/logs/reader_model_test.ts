/**
 * Differential tests: random output (chunked anyhow, both streams, restarts,
 * annotations, long lines, \r, non-ASCII and invalid bytes) goes through the
 * real writer with small segments, pages and scan blocks; every query is
 * checked against a direct model computed from the same input.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { setBlockBytes } from "./grep.ts";
import { type LogEntry, type LogQuery, queryLogs } from "./reader.ts";
import { enc, seeded, withTempDir } from "./test_support.ts";
import { lineText } from "./text.ts";
import { type LogLine, LogWriter } from "./writer.ts";

interface ModelLine {
  seq: number;
  ts: number;
  stream: "stdout" | "stderr";
  generation: number;
  text: string;
  annotation: boolean;
}

const WORDS = [
  "alpha",
  "beta",
  "gamma",
  "needle",
  "Needle",
  "ERROR",
  "ok",
  "x",
  "é",
  "日本",
  "\r",
  "50%\r",
  "",
];

/** A direct model of the writer's line splitting. */
class Model {
  lines: ModelLine[] = [];
  pend: [number[], number[]] = [[], []];
  constructor(readonly max: number) {}
  #emit(s: 0 | 1, bytes: number[], ts: number, gen: number, annotation = false) {
    this.lines.push({
      seq: this.lines.length + 1,
      ts,
      stream: s ? "stderr" : "stdout",
      generation: gen,
      text: lineText(new Uint8Array(bytes)),
      annotation,
    });
  }
  write(s: 0 | 1, chunk: Uint8Array, ts: number, gen: number) {
    // Bytes of the line stored by earlier writes: a cut never falls inside them.
    let stored = this.pend[s].length;
    for (const b of chunk) {
      if (b === 10) {
        this.#emit(s, this.pend[s], ts, gen);
        this.pend[s] = [];
        stored = 0;
        continue;
      }
      this.pend[s].push(b);
      if (this.pend[s].length > this.max) {
        // At most `max` bytes, backing off (up to 3) to a UTF-8 lead byte.
        const p = this.pend[s];
        let cut = this.max;
        while (cut > this.max - 3 && (p[cut] & 0xc0) === 0x80) cut--;
        if ((p[cut] & 0xc0) === 0x80) cut = this.max;
        cut = Math.max(cut, stored);
        this.#emit(s, p.slice(0, cut), ts, gen);
        this.pend[s] = p.slice(cut);
        stored = 0;
      }
    }
  }
  end(s: 0 | 1, ts: number, gen: number) {
    if (this.pend[s].length) this.#emit(s, this.pend[s], ts, gen);
    this.pend[s] = [];
  }
  annotate(text: string, ts: number, gen: number) {
    this.end(0, ts, gen);
    this.#emit(0, [...enc(text)], ts, gen, true);
  }
}

function randomLine(rnd: () => number, max: number): string {
  if (rnd() < 0.05) {
    return "L".repeat(max + Math.floor(rnd() * max * 3)) + (rnd() < 0.5 ? " needle" : "");
  }
  const n = Math.floor(rnd() * 6);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(WORDS[Math.floor(rnd() * WORDS.length)]);
  // Short lines of words; over-long lines come from the "L" branch above or from chunks without a final newline.
  return parts.join(" ").slice(0, Math.floor(max / 4));
}

/** Writes random output to `dir` and returns the model's lines. */
function generate(
  dir: string,
  seed: number,
  max: number,
  maxSegmentBytes: number,
  keepSegments: number,
): { lines: ModelLine[]; deleted: Promise<void> } {
  const rnd = seeded(seed);
  let now = 1_000_000;
  const w = LogWriter.open(dir, {
    maxLineBytes: max,
    maxSegmentBytes,
    keepSegments,
    clock: () => now,
  });
  const m = new Model(max);
  // The live listener must deliver exactly what is read back later.
  const live: LogLine[] = [];
  w.onLines = (ls) => live.push(...ls);
  let gen = 1;
  for (let op = 0; op < 1500; op++) {
    now += Math.floor(rnd() * 3) * 100;
    const r = rnd();
    if (r < 0.02) {
      m.end(0, now, gen);
      m.end(1, now, gen);
      w.endStream(0, gen);
      w.endStream(1, gen);
      m.annotate(`[agent-procs] Restarted (attempt ${gen})`, now, gen);
      w.annotate(`[agent-procs] Restarted (attempt ${gen})`, gen);
      gen++;
      continue;
    }
    if (r < 0.03) {
      m.annotate("[agent-procs] note needle", now, gen);
      w.annotate("[agent-procs] note needle", gen);
      continue;
    }
    const s = rnd() < 0.3 ? 1 : 0;
    const lines: string[] = [];
    for (let k = Math.floor(rnd() * 8); k >= 0; k--) lines.push(randomLine(rnd, max));
    let bytes = enc(lines.join("\n") + (rnd() < 0.7 ? "\n" : ""));
    if (rnd() < 0.05) {
      bytes = new Uint8Array([...bytes.subarray(0, 3), 0xff, 0xc3, ...bytes.subarray(3)]);
    }
    // Cut anywhere, even inside a character.
    let pos = 0;
    while (pos < bytes.length) {
      const n = 1 + Math.floor(rnd() * (bytes.length - pos));
      m.write(s, bytes.subarray(pos, pos + n), now, gen);
      w.write(s, bytes.subarray(pos, pos + n), gen);
      pos += n;
    }
  }
  m.end(0, now, gen);
  m.end(1, now, gen);
  w.close();
  deepEqual(live, m.lines);
  return { lines: m.lines, deleted: w.deleted() };
}

/** The expected result of a query, computed directly from the model's lines. */
function expected(all: ModelLine[], q: LogQuery): string[] {
  const re = q.grep
    ? new RegExp(
      q.grep.regex ? q.grep.pattern : q.grep.pattern.replace(/[\\^$.*+?()[\]{}|\/-]/g, "\\$&"),
      q.grep.ignoreCase ? "im" : "m",
    )
    : null;
  const inRange = all.filter((l) =>
    q.streams.includes(l.stream) && (q.sinceMs === undefined || l.ts >= q.sinceMs) &&
    (q.minGeneration === undefined || l.generation >= q.minGeneration) &&
    (q.afterSeq === undefined || l.seq > q.afterSeq)
  );
  let hits = re ? inRange.filter((l) => re.test(l.text)) : inRange;
  if (q.tail !== undefined) hits = hits.slice(Math.max(0, hits.length - q.tail));
  const c = q.context ?? 0;
  if (!re || c === 0) return hits.map((l) => `${l.seq}`);
  const hitSet = new Set(hits.map((l) => l.seq));
  const keep = new Set<number>();
  inRange.forEach((l, i) => {
    if (hitSet.has(l.seq)) {
      for (let k = Math.max(0, i - c); k <= Math.min(inRange.length - 1, i + c); k++) {
        keep.add(k);
      }
    }
  });
  const out: string[] = [];
  let prev = -2;
  inRange.forEach((l, i) => {
    if (!keep.has(i)) return;
    if (prev >= 0 && i !== prev + 1) out.push("--");
    out.push(hitSet.has(l.seq) ? `${l.seq}` : `+${l.seq}`);
    prev = i;
  });
  return out;
}

function actual(es: LogEntry[]): string[] {
  return es.map((e) => e.kind === "separator" ? "--" : `${e.context ? "+" : ""}${e.line.seq}`);
}

const GREPS: LogQuery["grep"][] = [
  { pattern: "needle", regex: false },
  { pattern: "needle", regex: false, ignoreCase: true },
  { pattern: "^beta", regex: true },
  { pattern: "a$", regex: true },
  { pattern: "日本|é", regex: true },
  { pattern: "50%", regex: false },
  { pattern: "^$", regex: true },
  { pattern: "L{5}", regex: true },
  { pattern: "Restarted", regex: false },
];

const CONFIGS = [
  { seed: 1, max: 40, seg: 3000, keep: 1000, block: 64 },
  { seed: 2, max: 64, seg: 100_000, keep: 1000, block: 256 },
  { seed: 3, max: 200, seg: 1500, keep: 1000, block: 4096 },
  { seed: 4, max: 50, seg: 2000, keep: 20, block: 128 },
];

for (const { seed, max, seg, keep, block } of CONFIGS) {
  Deno.test(`model check: seed ${seed}, max line ${max}, segments ${seg} B (keep ${keep}), blocks ${block} B`, () =>
    withTempDir(async (dir) => {
      const prevBlock = setBlockBytes(block);
      try {
        const { lines: written, deleted } = generate(dir, seed, max, seg, keep);
        await deleted;
        const full = queryLogs(dir, { streams: ["stdout", "stderr"] });
        // With few segments kept, only a suffix of what was written is left: exactly that suffix.
        const all = written.slice(written.length - full.length);
        ok(all.length > 1000, `only ${all.length} lines`);
        if (keep < 1000) ok(all.length < written.length, "nothing was deleted");
        else equal(all.length, written.length);
        deepEqual(full.map((e) => e.kind === "line" ? e.line : null), all);
        const rnd = seeded(seed * 7919);
        const maxGen = all[all.length - 1].generation;
        const t0 = all[0].ts;
        const t1 = all[all.length - 1].ts;
        for (let k = 0; k < 120; k++) {
          const q: LogQuery = {
            streams: ([["stdout"], ["stderr"], ["stdout", "stderr"]] as const)[k % 3].slice(),
          };
          if (rnd() < 0.5) q.tail = Math.floor(rnd() * 60);
          if (rnd() < 0.7) q.grep = GREPS[Math.floor(rnd() * GREPS.length)];
          if (q.grep && rnd() < 0.5) q.context = Math.floor(rnd() * 4);
          if (rnd() < 0.3) q.sinceMs = t0 + Math.floor(rnd() * (t1 - t0 + 1));
          if (rnd() < 0.3) q.minGeneration = Math.floor(rnd() * (maxGen + 1));
          if (rnd() < 0.3) q.afterSeq = all[0].seq - 1 + Math.floor(rnd() * all.length);
          deepEqual(actual(queryLogs(dir, q)), expected(all, q), JSON.stringify(q));
        }
      } finally {
        setBlockBytes(prevBlock);
      }
    }));
}
