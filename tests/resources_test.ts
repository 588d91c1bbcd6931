/**
 * End-to-end tests of listening ports and resources in `status`: a server
 * that ignores PORT and listens on 5174 shows `listening: [5174]` and `:5174`
 * in the URL column; a busy loop uses at least half a core and `sleep` almost
 * none; a process that touches 200 MB has at least 190 MB resident.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { pollUntil, type StatusRow, withEnv } from "./helpers/harness.ts";

/** A status row with the fields these tests read. */
type Row = StatusRow & {
  listening: number[];
  cpu_percent: number | null;
  rss_bytes: number | null;
};

const VITE_LIKE = 'exec python3 -c "import socket,time; s=socket.socket(); ' +
  "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', 5174)); " +
  "s.listen(); print('listening', flush=True); time.sleep(120)\"";

Deno.test("resources: listening ports in status --json and :PORT in the URL column", async () => {
  await withEnv("listen", async (env) => {
    await env.ok(["run", "--name", "vite", "--proxy", VITE_LIKE]);
    await env.ok(["wait", "vite", "--until", "listening"]);
    const row = await pollUntil(async () => {
      const r = (await env.proc("vite")) as Row;
      return r.listening.length ? r : null;
    }, { what: "vite to listen", seen: () => env.proc("vite") });
    deepEqual(row.listening, [5174]);
    ok(row.port !== 5174 && row.port !== null, "it was given another PORT, which it ignores");
    await env.ok(["run", "--name", "idle", "sleep 120"]);
    deepEqual(((await env.proc("idle")) as Row).listening, []);
    // Without the proxy URL, the table shows :PORT.
    await env.ok(["stop", "vite"]);
    await env.ok(["run", "--name", "vite2", VITE_LIKE]);
    await env.ok(["wait", "vite2", "--until", "listening"]);
    await pollUntil(async () => {
      const t = await env.ok(["status"]);
      return /^vite2 .*:5174/m.test(t) ? t : null;
    }, { what: ":5174 in the table", seen: () => env.ok(["status"]) });
  });
});

Deno.test("resources: cpu_percent of a busy loop and of sleep; rss_bytes of 200 MB", async () => {
  await withEnv("res", async (env) => {
    await env.ok(["run", "--name", "busy", "while :; do :; done"]);
    await env.ok(["run", "--name", "calm", "sleep 120"]);
    await env.ok([
      "run",
      "--name",
      "big",
      'exec python3 -c "import time; b=bytearray(200*1024*1024)\n' +
      "for i in range(0, len(b), 4096): b[i]=1\n" +
      "print('allocated', flush=True); time.sleep(120)\"",
    ]);
    await env.ok(["wait", "big", "--until", "allocated", "--timeout", "20"]);
    const rows = JSON.parse(await env.ok(["status", "--json"])) as Row[];
    const by = (n: string) => rows.find((r) => r.name === n)!;
    ok(by("busy").cpu_percent! >= 50, `busy: ${by("busy").cpu_percent}`);
    ok(by("calm").cpu_percent! < 5, `calm: ${by("calm").cpu_percent}`);
    ok(by("big").rss_bytes! >= 190 * 1024 * 1024, `big: ${by("big").rss_bytes}`);
    ok(by("calm").rss_bytes! > 0);
    const table = await env.ok(["status", "--resources"]);
    ok(/^NAME .*CPU +MEM/m.test(table), table);
    ok(/^big .*\d+\.\dM/m.test(table), table);
    // A stopped process has no resources.
    await env.ok(["stop", "busy"]);
    const stopped = (await env.proc("busy")) as Row;
    equal(stopped.cpu_percent, null);
    equal(stopped.rss_bytes, null);
    deepEqual(stopped.listening, []);
  });
});

const LATE_SERVER = (port: string) =>
  'exec python3 -c "import socket,time,os; time.sleep(1); s=socket.socket(); ' +
  `s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', ${port})); ` +
  "s.listen(); print('listening', flush=True); time.sleep(120)\"";

Deno.test("ready-listen: ready only once the group listens (on PORT when it has one)", async () => {
  await withEnv("rlisten", async (env) => {
    const t0 = Date.now();
    const out = await env.ok(["run", "--name", "late", "--ready-listen", LATE_SERVER("0")]);
    const elapsed = Date.now() - t0;
    ok(elapsed >= 1000, `returned after ${elapsed} ms, before the server listened`);
    ok(out.startsWith("late (id: p"), out);
    const row = (await env.proc("late")) as Row;
    equal(row.ready, true);
    equal(row.listening.length, 1);
    // With a PORT, listening elsewhere is not ready.
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const other = (l.addr as Deno.NetAddr).port;
    l.close();
    const r = await env.cli([
      "run",
      "--name",
      "elsewhere",
      "--proxy",
      "--ready-listen",
      "--timeout",
      "2.5",
      LATE_SERVER(String(other)),
    ]);
    equal(r.code, 1, r.stdout + r.stderr);
    ok(r.stderr.includes("elsewhere did not listen within 2.5s"), r.stderr);
    equal(((await env.proc("elsewhere")) as Row).ready, false);
    // On its PORT, it is.
    const ok2 = await env.cli([
      "run",
      "--name",
      "onport",
      "--proxy",
      "--ready-listen",
      LATE_SERVER("int(os.environ['PORT'])"),
    ]);
    equal(ok2.code, 0, ok2.stderr);
    equal(((await env.proc("onport")) as Row).ready, true);
  });
});
