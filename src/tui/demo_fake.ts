/**
 * Runs the terminal UI on a fake backend, to try it by hand or under tmux:
 * `deno run -A src/tui/demo_fake.ts [--flood N] [--crash MS] [--throw MS]`:
 * N lines per 10 ms for the flooding process (default 50); `--crash` sends a
 * malformed event after MS ms (a crash inside the UI), `--throw` throws an
 * uncaught error outside the UI after MS ms (both to check the terminal is
 * restored). A few fake processes: a web server with
 * coloured logs, an api writing to both streams, a flooding worker, a
 * crashed job, a failed one, a watched one and one that finished.
 */

import { runUi } from "./app.ts";
import { FakeBackend, fakeInfo } from "./fake_backend.ts";

function numberArg(flag: string): number | null {
  const i = Deno.args.indexOf(flag);
  return i >= 0 ? Number(Deno.args[i + 1]) : null;
}
const crashAfter = numberArg("--crash");
const throwAfter = numberArg("--throw");

const perTick = numberArg("--flood") ?? 50;
const b = new FakeBackend();
b.setInfo(fakeInfo("web", { ready: true, port: 4000, url: "http://web.localhost:9090" }));
b.setInfo(fakeInfo("api", { ready: false }));
b.setInfo(fakeInfo("worker"));
b.setInfo(fakeInfo("crasher", { state: "exited", exit_code: 1, pid: null, restart_count: 2 }));
b.setInfo(
  fakeInfo("migrate", {
    state: "failed",
    exit_code: 3,
    pid: null,
    restart_count: 5,
    max_restarts: 5,
  }),
);
b.setInfo(fakeInfo("watcher", { watched: true, restart_count: 1 }));
b.setInfo(fakeInfo("build", { state: "exited", exit_code: 0, pid: null }));
b.setInfo(fakeInfo("killed", { state: "exited", signal: "SIGKILL", pid: null }));

const hist: string[] = [];
for (let i = 0; i < 3000; i++) hist.push(`\x1b[2m[history]\x1b[0m old web line ${i}`);
b.emit("web", hist);
b.emit("web", [
  "\x1b[32mVITE v5.0.0\x1b[0m  ready in \x1b[1m312\x1b[0m ms",
  "  ➜  Local:   http://localhost:4000/",
]);
b.emit("crasher", ["starting", "connecting to db…"]);
b.emit("crasher", ["Error: ECONNREFUSED 127.0.0.1:5432", "    at connect (db.js:10:5)"], "stderr");
b.emit("crasher", ["[agent-procs] Restarted (exit 1, attempt 2/5)"], "stdout", true);
b.emit("migrate", ["[agent-procs] Max restarts (5) exhausted"], "stdout", true);
b.emit("build", ["built in 1.2s", "tab\tseparated\tcolumns", "wide: 漢字テキスト and emoji 🎉 ok"]);
b.emit("watcher", ["[agent-procs] File changed (src/app.ts), restarted"], "stdout", true);
b.emit("killed", [
  "\x1b]0;evil title\x07cursor \x1b[2J\x1b[Hmoves are stripped",
  "progress 10%\rprogress 100%",
]);

let n = 0;
const timers = [
  setInterval(() => {
    n++;
    b.emit("web", [`\x1b[36mGET\x1b[0m /api/items/${n} \x1b[32m200\x1b[0m ${n % 97}ms`]);
  }, 700),
  setInterval(() => {
    b.emit("api", [`request ${++n} handled`]);
    if (n % 3 === 0) b.emit("api", [`\x1b[33mwarn\x1b[0m slow query #${n}`], "stderr");
  }, 400),
  setInterval(() => {
    const lines: string[] = [];
    for (let i = 0; i < perTick; i++) {
      const k = ++n;
      lines.push(k % 10 === 0 ? `flood ${k} ${"long-".repeat(40)}end` : `flood line ${k}`);
    }
    b.emit("worker", lines);
  }, 10),
];

if (crashAfter !== null) {
  timers.push(
    setTimeout(
      () => b.push({ kind: "lines", name: "web", lines: null as unknown as [] }),
      crashAfter,
    ),
  );
}
if (throwAfter !== null) {
  timers.push(setTimeout(() => {
    throw new Error("demo: uncaught error outside the UI");
  }, throwAfter));
}

try {
  const result = await runUi(b);
  console.log(`ui ended: ${result}`);
} finally {
  for (const t of timers) clearTimeout(t);
}
