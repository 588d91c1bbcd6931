/**
 * Proxy benchmark (prints numbers; not a test). With `wrk` (and `nginx`, from
 * Debian: `apt-get install -y wrk nginx`), it measures requests/s (16
 * connections) and p50 latency (1 connection) against a small static backend:
 * direct, through agent-procs' proxy, and through nginx as a reverse proxy to
 * the same backend. Three rounds (each runs the three targets back to back);
 * the per-round ratios and their medians are printed last.
 *
 *   deno run -A bench/proxy.ts [--rounds N] [--seconds S]
 *
 * Targets: our req/s >= 0.5 x nginx's; our p50 added latency <= 1 ms over direct.
 */

import { parseArgs } from "node:util";
import { startProxy } from "../src/proxy/server.ts";

/** One wrk measurement. */
interface WrkResult {
  rps: number;
  p50Ms: number;
}

function which(cmd: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").concat(["/usr/sbin", "/usr/bin"])) {
    try {
      if (Deno.statSync(`${dir}/${cmd}`).isFile) return `${dir}/${cmd}`;
    } catch { /* not here */ }
  }
  return null;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(value);
  if (!m) throw new Error(`cannot parse wrk latency ${JSON.stringify(value)}`);
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : n * 1000;
}

/** Runs wrk and parses requests/s and the 50th percentile latency. */
async function wrk(
  url: string,
  host: string,
  connections: number,
  seconds: number,
): Promise<WrkResult> {
  const out = await new Deno.Command("wrk", {
    args: ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-H", `Host: ${host}`, url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const p50 = /^\s+50%\s+(\S+)/m.exec(text);
  if (!out.success || !rps || !p50) {
    throw new Error(`wrk failed: ${text}${new TextDecoder().decode(out.stderr)}`);
  }
  if (/Non-2xx or 3xx responses/.test(text)) throw new Error(`wrk saw errors for ${url}: ${text}`);
  return { rps: Number(rps[1]), p50Ms: toMs(p50[1]) };
}

/** An nginx started with its own prefix and config, ended by PID. */
interface Nginx {
  port: number;
  stop(): Promise<void>;
}

async function startNginx(
  bin: string,
  prefix: string,
  server: string,
  port: number,
): Promise<Nginx> {
  await Deno.mkdir(`${prefix}/logs`, { recursive: true });
  const conf = `${prefix}/nginx.conf`;
  await Deno.writeTextFile(
    conf,
    `${Deno.uid() === 0 ? "user root;\n" : ""}worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi; uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  ${server}
}
`,
  );
  const child = new Deno.Command(bin, {
    args: ["-p", prefix, "-c", conf, "-g", "daemon off;"],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        const err = new TextDecoder().decode((await child.output()).stderr);
        throw new Error(`nginx did not start on ${port}: ${err}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    port,
    async stop() {
      try {
        Deno.kill(child.pid, "SIGTERM");
      } catch { /* already gone */ }
      await child.status;
      await child.stderr.cancel().catch(() => {});
    },
  };
}

/** A Deno static server in its own process, when nginx is missing. */
async function startDenoBackend(port: number): Promise<Nginx> {
  const code = `Deno.serve({hostname:"127.0.0.1",port:${port},onListen(){console.log("up")}},` +
    `()=>new Response("hello from the backend\\n",{headers:{"content-type":"text/plain"}}))`;
  const child = new Deno.Command(Deno.execPath(), { args: ["eval", code], stdout: "piped" })
    .spawn();
  const reader = child.stdout.getReader();
  await reader.read();
  reader.releaseLock();
  return {
    port,
    async stop() {
      Deno.kill(child.pid, "SIGTERM");
      await child.stdout.cancel().catch(() => {});
      await child.status;
    },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "3" },
      seconds: { type: "string", default: "4" },
    },
  });
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  if (!which("wrk")) {
    console.log("skipped: wrk not installed (apt-get install -y wrk nginx)");
    return;
  }
  const nginxBin = which("nginx");
  const tmp = await Deno.makeTempDir({ prefix: "agent-procs-bench-" });
  const stops: (() => Promise<void>)[] = [];
  try {
    const backendPort = freePort();
    const backend = nginxBin
      ? await (async () => {
        await Deno.writeTextFile(`${tmp}/index.html`, "hello from the backend\n");
        return await startNginx(
          nginxBin,
          `${tmp}/backend`,
          `server { listen 127.0.0.1:${backendPort}; root ${tmp}; keepalive_requests 100000; }`,
          backendPort,
        );
      })()
      : await startDenoBackend(backendPort);
    stops.push(backend.stop);
    const proxy = await startProxy({
      port: freePort(),
      routes: () => [{ name: "app", port: backendPort, state: "running" }],
    });
    stops.push(proxy.close);
    let nginxProxy: Nginx | null = null;
    if (nginxBin) {
      const p = freePort();
      nginxProxy = await startNginx(
        nginxBin,
        `${tmp}/proxy`,
        `upstream app { server 127.0.0.1:${backendPort}; keepalive 64; }
  server { listen 127.0.0.1:${p}; keepalive_requests 100000;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; } }`,
        p,
      );
      stops.push(nginxProxy.stop);
    }
    console.log(
      `backend: ${nginxBin ? "nginx static file" : "Deno static response"}; ` +
        `wrk -t1, ${seconds}s per run; req/s at 16 connections, p50 at 1 connection`,
    );
    const targets: [string, string, string][] = [
      ["direct", `http://127.0.0.1:${backendPort}/`, `127.0.0.1:${backendPort}`],
      ["agent-procs", `http://127.0.0.1:${proxy.port}/`, `app.localhost:${proxy.port}`],
    ];
    if (nginxProxy) {
      targets.push(["nginx", `http://127.0.0.1:${nginxProxy.port}/`, `app.localhost`]);
    }
    const results = new Map<string, { rps: number[]; p50: number[] }>(
      targets.map(([n]) => [n, { rps: [], p50: [] }]),
    );
    for (let round = 1; round <= rounds; round++) {
      for (const [name, url, host] of targets) {
        await wrk(url, host, 16, 1); // warm-up
        const load = await wrk(url, host, 16, seconds);
        const single = await wrk(url, host, 1, seconds);
        const r = results.get(name)!;
        r.rps.push(load.rps);
        r.p50.push(single.p50Ms);
        console.log(
          `round ${round} ${name.padEnd(12)} ${load.rps.toFixed(0).padStart(7)} req/s  ` +
            `p50 ${single.p50Ms.toFixed(3)} ms`,
        );
      }
    }
    console.log("medians:");
    for (const [name] of targets) {
      const r = results.get(name)!;
      console.log(
        `  ${name.padEnd(12)} ${median(r.rps).toFixed(0).padStart(7)} req/s  p50 ${
          median(r.p50).toFixed(3)
        } ms`,
      );
    }
    // Per-round comparisons first: the three targets of a round ran back to back,
    // so they share the machine's load better than numbers from different rounds.
    const ours = results.get("agent-procs")!;
    const direct = results.get("direct")!;
    const added = ours.p50.map((p, i) => p - direct.p50[i]);
    console.log(
      `added p50 latency over direct: median ${median(added).toFixed(3)} ms ` +
        `(per round ${added.map((a) => a.toFixed(3)).join(", ")}; target <= 1 ms)`,
    );
    const ng = results.get("nginx");
    if (ng) {
      const ratios = ours.rps.map((r, i) => r / ng.rps[i]);
      console.log(
        `req/s vs nginx: median ${median(ratios).toFixed(2)} x ` +
          `(per round ${ratios.map((r) => r.toFixed(2)).join(", ")}; target >= 0.5)`,
      );
    } else console.log("nginx comparison skipped: nginx not installed");
  } finally {
    for (const stop of stops.reverse()) await stop();
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) await main();
