/**
 * Proxy benchmark (prints numbers; not a test). Needs `wrk` and `nginx` (from
 * Debian: `apt-get install -y wrk nginx`) and `node`. A tiny `node:http`
 * backend returns a small body; wrk (1 thread) measures requests/s at 32
 * connections and p50 latency at 1 connection, against the backend directly,
 * through agent-procs' proxy, and through nginx (1 worker, upstream
 * keep-alive) in front of the same backend. Each agent-procs proxy runs in its
 * own Deno process, as it does in the daemon. Rounds are interleaved (each
 * round runs every target back to back, in a rotated order); medians and
 * per-round ratios are printed last.
 *
 *   deno run -A bench/proxy.ts [--rounds N] [--seconds S] [--compare DIR]
 *     [--profile DIR]
 *
 * `--compare DIR` also runs the proxy of another checkout (its
 * `src/proxy/server.ts`), e.g. `git archive main src | tar -x -C /tmp/base`,
 * so a change is measured against the old code in the same run.
 * `--profile DIR` writes a V8 CPU profile of this checkout's proxy there.
 *
 * Targets (issue 19): req/s >= 0.8 x nginx's; p50 <= nginx's p50 + 0.15 ms.
 */

import { parseArgs } from "node:util";
import { freePort, nginxConfig, which, wrk } from "./wrk.ts";
import { median } from "./stats.ts";

/** The target ratio of requests/s to nginx's. */
const RPS_TARGET = 0.8;
/** The most p50 latency allowed over nginx's, in ms. */
const P50_TARGET_MS = 0.15;
/** Connections of the throughput run. */
const CONNECTIONS = 32;

/** A helper process started by the bench, ended by PID. */
interface Child {
  port: number;
  /** The processes doing the work (for nginx: its workers). */
  pids(): number[];
  stop(): Promise<void>;
}

/** CPU time (user + system, ms) used so far by the processes `pids`, from /proc. */
function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Waits until something accepts connections on 127.0.0.1:`port`. */
async function waitListening(port: number, what: string, child: Deno.ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        await child.status;
        throw new Error(`${what} did not start on port ${port}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Spawns `cmd args`, waits for `port`, and returns a handle that ends it by PID. */
async function spawn(what: string, cmd: string, args: string[], port: number): Promise<Child> {
  const child = new Deno.Command(cmd, { args, stdin: "null", stdout: "null", stderr: "inherit" })
    .spawn();
  await waitListening(port, what, child);
  return {
    port,
    pids() {
      try {
        const kids = Deno.readTextFileSync(`/proc/${child.pid}/task/${child.pid}/children`)
          .trim().split(/\s+/).filter((x) => x !== "").map(Number);
        return kids.length > 0 && cmd.endsWith("nginx") ? kids : [child.pid];
      } catch {
        return [child.pid];
      }
    },
    async stop() {
      try {
        Deno.kill(child.pid, "SIGTERM");
      } catch { /* already gone */ }
      await child.status;
    },
  };
}

async function startNginx(bin: string, prefix: string, server: string, port: number) {
  return await spawn("nginx", bin, await nginxConfig(prefix, server), port);
}

/** The Node backend: a small fixed body with a Content-Length, keep-alive. */
function startNode(port: number): Promise<Child> {
  const code = `const b = Buffer.from("hello from the backend\\n");
const s = require("node:http").createServer((q, r) => {
  r.writeHead(200, { "content-type": "text/plain", "content-length": b.length }); r.end(b);
});
s.keepAliveTimeout = 60000; s.listen(${port}, "127.0.0.1");`;
  return spawn("node backend", "node", ["-e", code], port);
}

/** One agent-procs proxy in its own Deno process, from the checkout at `root`. */
async function startOurs(
  tmp: string,
  label: string,
  root: string,
  backendPort: number,
  profileDir: string | null,
): Promise<Child> {
  const port = freePort();
  const script = `${tmp}/proxy-${label}.ts`;
  const server = new URL(`file://${Deno.realPathSync(root)}/src/proxy/server.ts`).href;
  await Deno.writeTextFile(
    script,
    `import { startProxy } from ${JSON.stringify(server)};
const p = await startProxy({ port: ${port}, routes: () => [
  { name: "app", port: ${backendPort}, state: "running" },
] });
Deno.addSignalListener("SIGTERM", async () => { await p.close(); Deno.exit(0); });
`,
  );
  const prof = profileDir === null ? [] : ["--cpu-prof", `--cpu-prof-dir=${profileDir}`];
  return await spawn(label, Deno.execPath(), ["run", "-A", "--no-lock", ...prof, script], port);
}

const fmt = (xs: number[], digits: number) => xs.map((x) => x.toFixed(digits)).join(", ");

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "5" },
      seconds: { type: "string", default: "3" },
      compare: { type: "string" },
      profile: { type: "string" },
    },
  });
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const nginxBin = which("nginx");
  if (!which("wrk") || !nginxBin || !which("node")) {
    throw new Error("bench/proxy.ts needs wrk, nginx and node (apt-get install -y wrk nginx)");
  }
  const tmp = await Deno.makeTempDir({ prefix: "agent-procs-bench-" });
  const stops: (() => Promise<void>)[] = [];
  try {
    const backend = await startNode(freePort());
    stops.push(backend.stop);
    const here = new URL("..", import.meta.url).pathname;
    const ours = await startOurs(tmp, "agent-procs", here, backend.port, values.profile ?? null);
    stops.push(ours.stop);
    const np = freePort();
    const nginx = await startNginx(
      nginxBin,
      `${tmp}/nginx`,
      `upstream app { server 127.0.0.1:${backend.port}; keepalive 64; }
  server { listen 127.0.0.1:${np}; keepalive_requests 1000000;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Host $host; proxy_set_header X-Forwarded-Proto $scheme; } }`,
      np,
    );
    stops.push(nginx.stop);
    const targets: [string, Child, string][] = [
      ["direct", backend, `127.0.0.1:${backend.port}`],
      ["nginx", nginx, "app.localhost"],
      ["agent-procs", ours, `app.localhost:${ours.port}`],
    ];
    if (values.compare !== undefined) {
      const base = await startOurs(tmp, "compare", values.compare, backend.port, null);
      stops.push(base.stop);
      targets.push(["compare", base, `app.localhost:${base.port}`]);
    }
    console.log(
      `node:http backend; wrk -t1, ${seconds}s per run; req/s at ${CONNECTIONS} connections, ` +
        `p50 at 1 connection; ${rounds} interleaved rounds` +
        (values.compare !== undefined ? `; compare = ${values.compare}` : ""),
    );
    console.log(
      "cpu = CPU time of the target's own process(es) per request during the req/s run " +
        "(direct: the backend's)",
    );
    const results = new Map(
      targets.map(([n]) => [n, { rps: [] as number[], p50: [] as number[], cpu: [] as number[] }]),
    );
    for (let round = 0; round < rounds; round++) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length]);
      for (const [name, child, host] of order) {
        const url = `http://127.0.0.1:${child.port}/`;
        await wrk(url, [`Host: ${host}`], CONNECTIONS, 1); // warm-up
        const pids = child.pids();
        const cpu0 = cpuMs(pids);
        const load = await wrk(url, [`Host: ${host}`], CONNECTIONS, seconds);
        const cpuUs = (cpuMs(pids) - cpu0) * 1000 / (load.rps * seconds);
        const single = await wrk(url, [`Host: ${host}`], 1, seconds);
        const r = results.get(name)!;
        r.rps.push(load.rps);
        r.p50.push(single.p50Ms);
        r.cpu.push(cpuUs);
        console.log(
          `round ${round + 1} ${name.padEnd(12)} ${load.rps.toFixed(0).padStart(7)} req/s  ` +
            `p50 ${single.p50Ms.toFixed(3)} ms  cpu ${cpuUs.toFixed(1)} us/req`,
        );
      }
    }
    console.log("medians:");
    for (const [name] of targets) {
      const r = results.get(name)!;
      console.log(
        `  ${name.padEnd(12)} ${median(r.rps).toFixed(0).padStart(7)} req/s  ` +
          `p50 ${median(r.p50).toFixed(3)} ms  cpu ${median(r.cpu).toFixed(1)} us/req`,
      );
    }
    // Per-round comparisons: the targets of a round ran back to back, so they
    // share the machine's load better than numbers from different rounds.
    const ng = results.get("nginx")!;
    for (const [name] of targets) {
      if (name === "direct" || name === "nginx") continue;
      const r = results.get(name)!;
      const ratios = r.rps.map((x, i) => x / ng.rps[i]);
      const added = r.p50.map((p, i) => p - ng.p50[i]);
      const cpu = r.cpu.map((c, i) => c / ng.cpu[i]);
      console.log(
        `${name}: req/s vs nginx median ${median(ratios).toFixed(2)} x ` +
          `(target >= ${RPS_TARGET}; per round ${fmt(ratios, 2)})`,
      );
      console.log(
        `${name}: p50 over nginx median ${median(added).toFixed(3)} ms ` +
          `(target <= ${P50_TARGET_MS}; per round ${fmt(added, 3)})`,
      );
      console.log(
        `${name}: cpu per request vs nginx median ${median(cpu).toFixed(2)} x ` +
          `(per round ${fmt(cpu, 2)})`,
      );
    }
    const base = results.get("compare");
    if (base !== undefined) {
      const ours = results.get("agent-procs")!;
      const ratios = ours.rps.map((x, i) => x / base.rps[i]);
      const cpu = ours.cpu.map((c, i) => c / base.cpu[i]);
      console.log(
        `agent-procs vs compare: req/s median ${median(ratios).toFixed(2)} x ` +
          `(per round ${fmt(ratios, 2)}); cpu per request median ${median(cpu).toFixed(2)} x ` +
          `(per round ${fmt(cpu, 2)})`,
      );
    }
  } finally {
    for (const stop of stops.reverse()) await stop();
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) await main();
