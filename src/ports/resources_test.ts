/** Tests of the resource parsers (Linux /proc, macOS ps and lsof) and a live sample of this process. */

import { deepEqual, equal, ok } from "node:assert/strict";
import {
  parseCpuTime,
  parseLsofListen,
  parsePs,
  parseStat,
  parseVmRss,
  sampleGroups,
} from "./resources.ts";

Deno.test("parseStat: state, pgid, CPU ticks and resident pages, even with spaces in the name", () => {
  const stat =
    "123 (my (odd) name) S 1 120 120 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 5 0 77 0";
  deepEqual(parseStat(stat), { state: "S", pgid: 120, cpuTicks: 300, rssPages: 77 });
  equal(parseStat("garbage"), null);
});

Deno.test("parseVmRss reads kB into bytes", () => {
  equal(parseVmRss("Name:\tx\nVmRSS:\t  2048 kB\n"), 2048 * 1024);
  equal(parseVmRss("Name:\tkthread\n"), 0);
});

Deno.test("parsePs and parseCpuTime (macOS)", () => {
  equal(parseCpuTime("0:01.50"), 1.5);
  equal(parseCpuTime("1:02:03"), 3723);
  equal(parseCpuTime("2-00:00:01"), 172801);
  const g = parsePs("  10  10   0:01.00  1000\n  11  10   0:00.50  24\n  12  12 0:00.00 4\n");
  deepEqual(g.get(10), { pids: [10, 11], cpuSecs: 1.5, rssBytes: 1024 * 1024 });
});

Deno.test("parseLsofListen: ports per pid", () => {
  const m = parseLsofListen("p10\nf5\nn*:5174\nf6\nn127.0.0.1:9000\np11\nn[::1]:80\n");
  deepEqual(m.get(10), [5174, 9000]);
  deepEqual(m.get(11), [80]);
});

Deno.test("sampleGroups: a group listening on a port shows it, with memory and CPU time", async () => {
  const child = new Deno.Command("python3", {
    args: [
      "-c",
      "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(30)",
    ],
    stdout: "piped",
    stderr: "null",
    detached: true,
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    const port = Number(new TextDecoder().decode(value).trim());
    const m = await sampleGroups(new Set([child.pid]));
    const s = m.get(child.pid);
    ok(s, "group sampled");
    deepEqual(s.listening, [port]);
    ok(s.rssBytes > 1024 * 1024, `rss ${s.rssBytes}`);
    ok(s.cpuSecs >= 0);
    reader.releaseLock();
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel().catch(() => {});
  }
});
