/**
 * Benchmark (prints numbers; not a test): the terminal UI under tmux while one
 * process writes ~50 MB/s. Measures key press -> screen change latency (select
 * the quiet process and back) and the UI process's RSS.
 * Usage: deno run -A bench/tui.ts [--presses N] [--mbps M]
 */

import { pollUntil, TestEnv } from "../tests/helpers/harness.ts";

const arg = (name: string, def: number) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : def;
};
const PRESSES = arg("--presses", 10);
const MBPS = arg("--mbps", 50);
const socket = `ap-bench-${crypto.randomUUID().slice(0, 6)}`;

async function tmux(...args: string[]): Promise<string> {
  const o = await new Deno.Command("tmux", {
    args: ["-L", socket, ...args],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(o.stdout);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function uiPid(home: string): number | null {
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const cmd = Deno.readTextFileSync(`/proc/${e.name}/cmdline`).split("\0");
      const env = Deno.readTextFileSync(`/proc/${e.name}/environ`);
      if (
        cmd.includes("ui") && cmd.some((c) => c.endsWith("main.ts")) &&
        env.includes(`AGENT_PROCS_HOME=${home}`)
      ) {
        return Number(e.name);
      }
    } catch {
      // not ours
    }
  }
  return null;
}

const rssMiB = (pid: number) =>
  Number(Deno.readTextFileSync(`/proc/${pid}/status`).match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;

const env = await TestEnv.create("btui");
try {
  await env.ok(["run", `deno run ${env.root}/tests/fixtures/flood.ts ${MBPS}`, "--name", "flood"]);
  await env.ok(["run", "echo QUIET-MARKER; exec sleep 1000", "--name", "quiet"]);
  const vars = Object.entries(env.env()).filter(([k]) => /^(PATH|HOME|AGENT_PROCS_\w+)$/.test(k))
    .map(([k, v]) => `${k}='${v}'`).join(" ");
  await tmux(
    "new-session",
    "-d",
    "-s",
    "ui",
    "-x",
    "120",
    "-y",
    "30",
    `env ${vars} ${Deno.execPath()} run -A ${env.root}/main.ts ui`,
  );
  await pollUntil(async () => /flood line/.test(await tmux("capture-pane", "-p", "-t", "ui")), {
    what: "flood on screen",
    timeoutMs: 20_000,
  });
  const pid = uiPid(env.home);
  const xs: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < PRESSES; i++) {
    const [key, want] = i % 2 === 0 ? ["j", /QUIET-MARKER/] : ["k", /flood line/];
    const t0 = performance.now();
    await tmux("send-keys", "-t", "ui", key);
    await pollUntil(async () => {
      const s = await tmux("capture-pane", "-p", "-t", "ui");
      return want.test(s) && (key === "k" || !/flood line/.test(s));
    }, { what: `screen after ${key}`, timeoutMs: 10_000 });
    xs.push(performance.now() - t0);
    if (pid) rss.push(rssMiB(pid));
    await new Promise((r) => setTimeout(r, 300));
  }
  const size = (await env.proc("flood")).pid ? "running" : "stopped";
  console.log(
    `tui with a ${MBPS} MB/s writer (${size}): key -> screen median ${median(xs).toFixed(1)} ms, ` +
      `max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length}) [target <= 100 ms]; ` +
      `UI RSS max ${rss.length ? Math.max(...rss).toFixed(1) : "?"} MiB [target < 120]`,
  );
} finally {
  await tmux("kill-server");
  await env.cleanup();
}
