/**
 * Benchmarks of issue 15 (prints numbers; not a test): `status --json` with
 * 10 processes (5 of them listening, so resources and listening ports are
 * sampled) called back to back through the CLI, and `port N` both as the
 * operation in-process and through the CLI.
 * Usage: deno run -A bench/ports.ts [--runs N] [--status-only]
 */

import { fmt, timed } from "./stats.ts";
import { TestEnv } from "../tests/helpers/harness.ts";

const args = Deno.args;
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 21;
const STATUS_ONLY = args.includes("--status-only");

const SERVER = "exec python3 -m http.server 0 --bind 127.0.0.1";

const env = await TestEnv.create("bports");
try {
  for (let i = 0; i < 5; i++) await env.ok(["run", "--name", `srv${i}`, SERVER]);
  for (let i = 0; i < 5; i++) await env.ok(["run", "--name", `idle${i}`, "sleep 1000"]);
  await env.ok(["status", "--json"]);
  const status: number[] = [];
  for (let i = 0; i < RUNS; i++) status.push(await timed(() => env.ok(["status", "--json"])));
  console.log(`status --json, 10 processes (CLI, back to back): ${fmt(status)}`);
  const rows = JSON.parse(await env.ok(["status", "--json"])) as {
    listening?: number[];
    cpu_percent?: number | null;
  }[];
  const listening = rows.flatMap((r) => r.listening ?? []);
  console.log(
    `  rows with resources: ${rows.filter((r) => r.cpu_percent != null).length}, ` +
      `listening ports seen: ${listening.length}`,
  );
  if (!STATUS_ONLY && listening.length) {
    const { port } = await import("../src/ops/port.ts");
    const { opContext } = await import("../src/ops/context.ts");
    Deno.env.set("AGENT_PROCS_HOME", env.home);
    const ctx = opContext({ session: env.session });
    const inProc: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      inProc.push(await timed(() => port({ port: listening[0] }, ctx)));
    }
    console.log(`port N (operation, a listening port): ${fmt(inProc)}`);
    const free: number[] = [];
    for (let i = 0; i < RUNS; i++) free.push(await timed(() => port({ port: 1 }, ctx)));
    console.log(`port N (operation, a free port): ${fmt(free)}`);
    const cli: number[] = [];
    for (let i = 0; i < 7; i++) cli.push(await timed(() => env.ok(["port", String(listening[0])])));
    console.log(`port N (CLI, start-up included): ${fmt(cli)}`);
  }
} finally {
  await env.cleanup();
}
