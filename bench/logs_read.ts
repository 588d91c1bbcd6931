/**
 * Benchmark of the log reader on a ~500 MB log (generated in a temp dir with
 * the real writer and deleted afterwards): median of 5 runs each of tail 100,
 * grep for a rare word over everything (substring, ignore-case, regex), grep
 * with --tail 100, and since 1 minute. Targets: tail and since <= 50 ms,
 * grep >= 200 MB/s.
 *
 * Run: deno run -A bench/logs_read.ts [sizeMB]
 */

import { LogWriter } from "../src/logs/writer.ts";
import { type LogQuery, queryLogs } from "../src/logs/reader.ts";

const TARGET_MB = Number(Deno.args[0] ?? 500);
const RUNS = 5;
const SPAN_MS = 10 * 3_600_000;
const enc = new TextEncoder();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A 64 KiB-ish chunk of server-like lines; `needle` puts one rare word in it. */
function makeChunk(seed: number, needle: boolean): Uint8Array {
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < 64 * 1024 - 200; i++) {
    const n = seed * 1000 + i;
    const word = needle && i === 7 ? " zebrafish" : "";
    const l =
      `2025-01-01T00:00:00.000Z INFO  request id=${n} GET /api/items/${(n * 7919) % 100000}` +
      ` status=200 dur=${n % 97}ms user=u${n % 1000}${word}`;
    lines.push(l);
    bytes += l.length + 1;
  }
  return enc.encode(lines.join("\n") + "\n");
}

async function generate(dir: string): Promise<{ outBytes: number; lastTs: number }> {
  const chunks = Array.from({ length: 64 }, (_, i) => makeChunk(i, false));
  const rare = makeChunk(99, true);
  const errChunk = enc.encode("WARN slow query took 1234ms on table items\n".repeat(20));
  const total = TARGET_MB * 1e6;
  const nChunks = Math.ceil(total / chunks[0].length);
  const start = Date.now() - SPAN_MS;
  let now = start;
  const w = LogWriter.open(dir, {
    maxSegmentBytes: 128 * 1024 * 1024,
    keepSegments: 10,
    clock: () => now,
  });
  let outBytes = 0;
  for (let c = 0; c < nChunks; c++) {
    now = start + Math.floor((c / nChunks) * SPAN_MS);
    const chunk = c % 150 === 75 ? rare : chunks[c % chunks.length];
    w.write(0, chunk, 1 + Math.floor(c / (nChunks / 4)));
    outBytes += chunk.length;
    if (c % 10 === 0) w.write(1, errChunk, 1 + Math.floor(c / (nChunks / 4)));
  }
  w.close();
  await Promise.resolve();
  return { outBytes, lastTs: now };
}

function time(q: LogQuery, dir: string): { ms: number; n: number } {
  const times: number[] = [];
  let n = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    n = queryLogs(dir, q).length;
    times.push(performance.now() - t0);
  }
  return { ms: median(times), n };
}

const root = await Deno.makeTempDir({ prefix: "logs-read-bench-" });
try {
  const dir = `${root}/p`;
  const t0 = performance.now();
  const { outBytes, lastTs } = await generate(dir);
  let disk = 0;
  for (const e of Deno.readDirSync(dir)) disk += Deno.statSync(`${dir}/${e.name}`).size;
  console.log(
    `generated ${(outBytes / 1e6).toFixed(0)} MB of stdout (${
      (disk / 1e6).toFixed(0)
    } MB on disk with stderr and ` +
      `index, ${[...Deno.readDirSync(dir)].length / 3} segments) in ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s`,
  );
  const out: ("stdout" | "stderr")[] = ["stdout"];
  const both: ("stdout" | "stderr")[] = ["stdout", "stderr"];
  const report = (label: string, q: LogQuery, mbps = false) => {
    const r = time(q, dir);
    const rate = mbps ? `, ${(outBytes / 1e6 / (r.ms / 1000)).toFixed(0)} MB/s` : "";
    console.log(`${label}: median ${r.ms.toFixed(1)} ms (${r.n} entries)${rate}`);
  };
  report("tail 100 (stdout)", { streams: out, tail: 100 });
  report("tail 100 (both streams)", { streams: both, tail: 100 });
  report("tail 100 (stderr only)", { streams: ["stderr"], tail: 100 });
  report("grep rare word, all stdout", {
    streams: out,
    grep: { pattern: "zebrafish", regex: false },
  }, true);
  report("grep rare word, ignore case", {
    streams: out,
    grep: { pattern: "ZebraFish", regex: false, ignoreCase: true },
  }, true);
  report(
    "grep rare regex zebra\\w+",
    { streams: out, grep: { pattern: "zebra\\w+", regex: true } },
    true,
  );
  report("grep rare word --tail 100, both streams", {
    streams: both,
    tail: 100,
    grep: { pattern: "zebrafish", regex: false },
  }, true);
  report("grep common word --tail 100 --context 2", {
    streams: out,
    tail: 100,
    context: 2,
    grep: { pattern: "status=200", regex: false },
  });
  report("since 1 minute (stdout)", { streams: out, sinceMs: lastTs - 60_000 });
  // What a CLI call pays: a fresh Deno process that imports the reader and prints the tail.
  const script = `${root}/tail.ts`;
  const reader = new URL("../src/logs/reader.ts", import.meta.url).href;
  Deno.writeTextFileSync(
    script,
    `import { readLogs } from ${JSON.stringify(reader)};\n` +
      `const l = readLogs(Deno.args[0], { streams: ["stdout"], tail: 100 });\n` +
      `console.log(l.map((x) => x.text).join("\\n").length);\n`,
  );
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script, dir],
      stdout: "null",
    }).outputSync();
    cold.push(performance.now() - t);
    if (!r.success) throw new Error("tail process failed");
  }
  console.log(
    `tail 100 in a fresh deno process (start-up included): median ${median(cold).toFixed(1)} ms`,
  );
} finally {
  await Deno.remove(root, { recursive: true });
}
