/**
 * Benchmark of the failure digest (prints numbers; not a test): building a
 * digest from 200 lines of output that end in a Node error, next to a plain
 * split of the same text as the reference measured in the same run.
 * Usage: deno run -A bench/digest.ts
 */

import { buildDigest } from "../src/digest/digest.ts";
import { median } from "./stats.ts";

const lines: string[] = [];
for (let i = 0; i < 190; i++) lines.push(`\x1b[32m[vite]\x1b[0m hmr update /src/App.tsx (${i})`);
lines.push("/app/src/server.js:12", "  app.listen(port)", "      ^", "");
lines.push("Error: listen EADDRINUSE: address already in use 127.0.0.1:3000");
for (let i = 0; i < 5; i++) lines.push(`    at frame${i} (node:net:${i}:1)`);
const text = lines.join("\n");

const RUNS = 200;
const digestMs: number[] = [];
const splitMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  let t0 = performance.now();
  buildDigest(text.split("\n"));
  digestMs.push(performance.now() - t0);
  t0 = performance.now();
  text.split("\n").map((l) => l.trimEnd());
  splitMs.push(performance.now() - t0);
}
console.log(
  `digest of 200 lines: median ${median(digestMs).toFixed(3)} ms (target <= 5 ms); ` +
    `reference split+trim of the same text: median ${median(splitMs).toFixed(3)} ms (n=${RUNS})`,
);
