/** Tests of CPU averaging and the usage sampler (fake samples and clock, no sleeps). */

import { deepEqual, equal } from "node:assert/strict";
import { cpuPercent, pickBase, UsageSampler } from "./usage.ts";
import type { GroupSample } from "../ports/resources.ts";
import { sampleRow } from "../testkit.ts";

Deno.test("cpuPercent: share of one core between two points", () => {
  equal(cpuPercent({ cpuSecs: 1, at: 0 }, { cpuSecs: 1.1, at: 100 }), 100);
  equal(cpuPercent({ cpuSecs: 1, at: 0 }, { cpuSecs: 1.05, at: 1000 }), 5);
  equal(cpuPercent({ cpuSecs: 1, at: 0 }, { cpuSecs: 1, at: 0 }), 0);
});

Deno.test("pickBase: the newest point 0.1-1 s old", () => {
  const h = [{ cpuSecs: 0, at: 0 }, { cpuSecs: 1, at: 500 }, { cpuSecs: 2, at: 950 }];
  deepEqual(pickBase(h, 1000), { cpuSecs: 1, at: 500 });
  equal(pickBase(h, 2500), null);
  equal(pickBase([{ cpuSecs: 0, at: 990 }], 1000), null);
});

function rig(cpuAt: (t: number) => number) {
  let t = 10_000;
  let sleeps = 0;
  const sampler = new UsageSampler({
    sample: (pgids) => {
      const m = new Map<number, GroupSample>();
      for (const g of pgids) {
        m.set(g, { cpuSecs: cpuAt(t), rssBytes: 1024 * 1024, listening: [5174] });
      }
      return Promise.resolve(m);
    },
    now: () => t,
    sleep: (ms) => {
      sleeps++;
      t += ms;
      return Promise.resolve();
    },
  });
  return { sampler, advance: (ms: number) => (t += ms), sleeps: () => sleeps };
}

Deno.test("UsageSampler: a fresh 100 ms window first, then the earlier sample", async () => {
  const r = rig((t) => t / 1000 / 2); // half a core
  const rows = [sampleRow({ pid: 42 }), sampleRow({ name: "gone", pid: null })];
  const first = await r.sampler.fill(rows, true);
  equal(r.sleeps(), 1);
  equal(first[0].cpu_percent, 50);
  equal(first[0].rss_bytes, 1024 * 1024);
  deepEqual(first[0].listening, [5174]);
  deepEqual(first[1].listening, []);
  equal(first[1].cpu_percent, null);
  r.advance(300);
  const second = await r.sampler.fill(rows, true);
  equal(r.sleeps(), 1, "a sample 0.3 s old is used: no new window");
  equal(second[0].cpu_percent, 50);
  r.advance(5000);
  await r.sampler.fill(rows, true);
  equal(r.sleeps(), 2, "a sample 5 s old is too old");
});

Deno.test("UsageSampler: without resources only listening is filled, at no wait", async () => {
  const r = rig(() => 0);
  const [row] = await r.sampler.fill([sampleRow({ pid: 42 })], false);
  deepEqual(row.listening, [5174]);
  equal(row.cpu_percent, null);
  equal(row.rss_bytes, null);
  equal(r.sleeps(), 0);
});

Deno.test("UsageSampler: without resources, the listening-only sampler answers when there is one", async () => {
  let full = 0;
  const sampler = new UsageSampler({
    sample: () => {
      full++;
      return Promise.resolve(new Map());
    },
    listening: (pgids) => Promise.resolve(new Map([...pgids].map((g) => [g, [g + 1]]))),
    now: () => 0,
    sleep: () => Promise.resolve(),
  });
  const rows = await sampler.fill(
    [sampleRow({ pid: 42 }), sampleRow({ name: "x", pid: null })],
    false,
  );
  deepEqual(rows.map((r) => r.listening), [[43], []]);
  equal(full, 0);
});
