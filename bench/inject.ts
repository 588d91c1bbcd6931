/**
 * Browser-capture injection benchmark (prints numbers; not a test). Needs
 * `wrk` and `nginx` (Debian: `apt-get install -y wrk nginx`). nginx serves a
 * small JSON file and a 1 MB HTML page; one proxy in this process routes
 * `on.localhost` (browser logs on) and `off.localhost` (off) to it. Rounds
 * interleave on and off:
 *
 * - requests/s for the JSON file as a page's `fetch` asks for it (`Sec-Fetch-Dest: empty`;
 *   16 connections), in `--pairs` interleaved
 *   1-second pairs: on / off, target >= 0.97;
 * - p50 latency of the 1 MB page (1 connection, `--rounds` rounds of
 *   `--seconds`), identity and gzip: the time injection adds, target <= 2 ms.
 *
 *   deno run -A bench/inject.ts [--pairs N] [--rounds N] [--seconds S]
 */

import { parseArgs } from "node:util";
import { freePort, nginxConfig, which, wrk } from "./wrk.ts";
import { startProxy } from "../src/proxy/server.ts";
import { median } from "./stats.ts";

/** What a page's own \`fetch\` sends: the browser says the response is not a page to render. */
const FETCH = "Sec-Fetch-Dest: empty";

async function startNginx(bin: string, prefix: string, root: string, port: number) {
  const args = await nginxConfig(
    prefix,
    `types { text/html html; application/json json; }
  gzip on; gzip_types text/html; gzip_min_length 1000;
  server { listen 127.0.0.1:${port}; root ${root}; keepalive_requests 1000000; }`,
  );
  const child = new Deno.Command(bin, {
    args,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        await child.status;
        throw new Error(`nginx did not start on ${port}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return async () => {
    try {
      Deno.kill(child.pid, "SIGTERM");
    } catch { /* gone */ }
    await child.status;
  };
}

function bigPage(): string {
  const row = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit 0123456789.</p>\n";
  return `<!doctype html><html><head><meta charset="utf-8"><title>big</title></head><body>\n` +
    row.repeat(Math.ceil(1_000_000 / row.length)) + "</body></html>\n";
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: "5" },
      seconds: { type: "string", default: "2" },
      pairs: { type: "string", default: "20" },
    },
  });
  const pairs = Number(values.pairs);
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const nginx = which("nginx");
  if (!which("wrk") || nginx === null) {
    console.log("error: wrk and nginx are needed (apt-get install -y wrk nginx)");
    Deno.exit(1);
  }
  const dir = await Deno.makeTempDir({ prefix: "ap-bench-inject-" });
  await Deno.mkdir(`${dir}/www`);
  await Deno.writeTextFile(`${dir}/www/data.json`, JSON.stringify({ ok: true, items: [1, 2, 3] }));
  const page = bigPage();
  await Deno.writeTextFile(`${dir}/www/big.html`, page);
  const backendPort = freePort();
  const stopNginx = await startNginx(nginx, `${dir}/nginx`, `${dir}/www`, backendPort);
  const proxy = await startProxy({
    port: freePort(),
    routes: () => [
      { name: "on", port: backendPort, state: "running", browserLogs: true },
      { name: "off", port: backendPort, state: "running" },
    ],
    onBrowserLines: () => {},
  });
  try {
    const base = `http://127.0.0.1:${proxy.port}`;
    const host = (name: string) => `Host: ${name}.localhost:${proxy.port}`;
    // sanity: the page is injected for "on" only
    const check = async (name: string) => {
      const out = await new Deno.Command("curl", {
        args: ["-s", "-H", host(name), `${base}/big.html`],
        stdout: "piped",
      }).output();
      return new TextDecoder().decode(out.stdout).includes("/_agent-procs/capture.js");
    };
    if (!(await check("on")) || (await check("off"))) {
      throw new Error("injection sanity check failed");
    }
    console.log(
      `page ${
        (page.length / 1e6).toFixed(2)
      } MB; wrk -t1, ${seconds}s per run, ${rounds} rounds; ` +
        "nginx backend",
    );
    // Phase 1: JSON req/s, many short interleaved pairs (on-off, then off-on) against the noise.
    const ratio: number[] = [];
    await wrk(`${base}/data.json`, [host("on"), FETCH], 16, 1); // warm-up
    await wrk(`${base}/data.json`, [host("off"), FETCH], 16, 1);
    for (let r = 0; r < pairs; r++) {
      const order = r % 2 === 0 ? ["on", "off"] : ["off", "on"];
      const rps: Record<string, number> = {};
      for (const n of order) rps[n] = (await wrk(`${base}/data.json`, [host(n), FETCH], 16, 1)).rps;
      ratio.push(rps.on / rps.off);
    }
    console.log(
      `JSON req/s on/off, ${pairs} interleaved 1 s pairs: median ${median(ratio).toFixed(3)} ` +
        `(min ${Math.min(...ratio).toFixed(3)}, max ${Math.max(...ratio).toFixed(3)}) ` +
        "(target >= 0.97)",
    );
    // Phase 2: p50 latency of the 1 MB page at 1 connection, identity and gzip.
    const added: number[] = [];
    const addedGz: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ["on", "off"] : ["off", "on"];
      const p50: Record<string, number> = {};
      const gz: Record<string, number> = {};
      for (const n of order) {
        p50[n] = (await wrk(`${base}/big.html`, [host(n)], 1, seconds)).p50Ms;
        gz[n] = (await wrk(`${base}/big.html`, [host(n), "Accept-Encoding: gzip"], 1, seconds))
          .p50Ms;
      }
      added.push(p50.on - p50.off);
      addedGz.push(gz.on - gz.off);
      console.log(
        `round ${r + 1}: 1 MB page p50 on ${p50.on.toFixed(2)} ms off ${p50.off.toFixed(2)} ms; ` +
          `gzip on ${gz.on.toFixed(2)} ms off ${gz.off.toFixed(2)} ms`,
      );
    }
    console.log(
      `median added p50: 1 MB page +${median(added).toFixed(2)} ms identity, ` +
        `+${median(addedGz).toFixed(2)} ms gzip (decoded, sent identity) (target <= 2 ms)`,
    );
  } finally {
    await proxy.close();
    await stopNginx();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
