/**
 * End-to-end: a process printing as fast as it can (`yes`, on both stdout
 * and stderr so both streams fill) for 10 s, with small log segments so
 * rotation runs all the time. Everything its log keeps on disk stays within
 * `segment bytes × keep × 2 streams` (+10 %) at every sample, and the daemon
 * keeps answering `status` meanwhile (a generous regression guard: the
 * latency numbers are bench/flood.ts's job).
 */

import { equal, ok } from "node:assert/strict";
import { withEnv } from "./helpers/harness.ts";
import { dirBytes } from "./helpers/disk.ts";

const SEGMENT = 1024 * 1024;
const KEEP = 3;
const CAP = SEGMENT * KEEP * 2;
const FLOOD_MS = 10_000;
const STATUS_GUARD_MS = 2_000;

/** Highest segment number seen in `dir`. */
function newestSegment(dir: string): number {
  let n = 0;
  for (const e of Deno.readDirSync(dir)) {
    const m = /^idx\.(\d+)\.bin$/.exec(e.name);
    if (m) n = Math.max(n, Number(m[1]));
  }
  return n;
}

Deno.test("10 s of yes on both streams: the log stays within its disk bound and status keeps answering", async () => {
  await withEnv("flood", async (env) => {
    const small = {
      AGENT_PROCS_LOG_SEGMENT_BYTES: String(SEGMENT),
      AGENT_PROCS_LOG_KEEP: String(KEEP),
    };
    // The daemon reads the log settings from its environment: the first call starts it with them.
    await env.ok(["run", "yes & yes >&2", "--name", "y"], { env: small });
    const dir = `${env.stateDir}/logs/y`;
    const end = Date.now() + FLOOD_MS;
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, dirBytes(dir));
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const latencies: number[] = [];
    try {
      while (Date.now() < end) {
        const t0 = performance.now();
        const rows = await env.status();
        latencies.push(performance.now() - t0);
        equal(rows.find((r) => r.name === "y")?.state, "running");
      }
    } finally {
      sampling = false;
      await sampler;
    }
    ok(
      newestSegment(dir) > KEEP * 4,
      `only ${newestSegment(dir)} segments: the bound was not tested`,
    );
    ok(peak <= CAP * 1.1, `${peak} bytes on disk, cap ${CAP} (+10 %)`);
    ok(
      Math.max(...latencies) <= STATUS_GUARD_MS,
      `status took ${latencies.map((x) => x.toFixed(0)).join(", ")} ms`,
    );
    // Both streams (which one printed last within the kept window is up to the scheduler).
    equal(await env.ok(["logs", "--all", "--tail", "2"]), "[y] y\n[y] y\n");
    await env.ok(["stop", "y"]);
    ok(dirBytes(dir) <= CAP * 1.1, `${dirBytes(dir)} bytes after stop`);
  });
});
