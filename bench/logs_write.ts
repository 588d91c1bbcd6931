/**
 * Benchmark of the log writer: the output of `seq 1 1000000` (6.9 MB) fed in
 * 64 KiB chunks, as the daemon reads them from a pipe. Prints the median of
 * 5 runs without a live listener and with one (`onLines`, which decodes every
 * line). Target: the whole burst on disk well under 1 s.
 *
 * Run: deno run -A bench/logs_write.ts
 */

import { LogWriter } from "../src/logs/writer.ts";

const CHUNK = 64 * 1024;
const RUNS = 5;

function seqOutput(n: number): Uint8Array {
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) parts.push(String(i));
  return new TextEncoder().encode(parts.join("\n") + "\n");
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function run(data: Uint8Array, listen: boolean): Promise<{ ms: number; lines: number }> {
  const dir = await Deno.makeTempDir({ prefix: "logs-write-bench-" });
  try {
    const t0 = performance.now();
    const w = LogWriter.open(`${dir}/p`);
    let seen = 0;
    if (listen) w.onLines = (ls) => seen += ls.length;
    let lines = 0;
    for (let off = 0; off < data.length; off += CHUNK) {
      lines += w.write(0, data.subarray(off, Math.min(data.length, off + CHUNK)), 1);
    }
    w.close();
    const ms = performance.now() - t0;
    if (listen && seen !== lines) throw new Error(`listener saw ${seen} of ${lines} lines`);
    return { ms, lines };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const data = seqOutput(1_000_000);
for (const listen of [false, true]) {
  const times: number[] = [];
  let lines = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await run(data, listen);
    times.push(r.ms);
    lines = r.lines;
  }
  const ms = median(times);
  console.log(
    `write seq 1..1000000 (${(data.length / 1e6).toFixed(1)} MB, 64 KiB chunks${
      listen ? ", onLines set" : ""
    }): ` +
      `median ${ms.toFixed(1)} ms over ${RUNS} runs, ${lines} lines, ` +
      `${(lines / ms / 1000).toFixed(1)} M lines/s, ${
        (data.length / 1e6 / (ms / 1000)).toFixed(0)
      } MB/s`,
  );
}
