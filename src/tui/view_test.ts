/** Tests of the view: layout at several sizes, marks, ANSI passthrough with correct widths, wrapping. */

import { deepEqual as assertEquals, equal, ok } from "node:assert/strict";
import { fakeInfo } from "./fake_backend.ts";
import { Sim, texts } from "./testkit.ts";
import { view } from "./view.ts";
import { stripSgr, visibleWidth } from "./ansi.ts";
import type { ProcessInfo } from "../model.ts";

// deno-lint-ignore no-control-regex -- checking that only SGR escapes reach the screen
const NON_SGR_ESCAPE = /\x1b(?!\[[0-9;]*m)/;

function allStates(): ProcessInfo[] {
  return [
    fakeInfo("web", { ready: true, watched: true, restart_count: 2 }),
    fakeInfo("api", { ready: false }),
    fakeInfo("worker"),
    fakeInfo("restarter", { state: "restarting", restart_count: 1 }),
    fakeInfo("done", { state: "exited", exit_code: 0, pid: null }),
    fakeInfo("crashed", { state: "exited", exit_code: 3, pid: null }),
    fakeInfo("killed", { state: "exited", signal: "SIGKILL", pid: null }),
    fakeInfo("given-up", { state: "failed", exit_code: 1, pid: null, restart_count: 5 }),
    fakeInfo("halted", { state: "stopped", pid: null }),
  ];
}

function checkFrame(lines: string[], cols: number, rows: number): void {
  equal(lines.length, rows);
  lines.forEach((l, i) => {
    equal(
      visibleWidth(l),
      cols,
      `row ${i} is ${visibleWidth(l)} cells: ${JSON.stringify(stripSgr(l))}`,
    );
    ok(!NON_SGR_ESCAPE.test(l), `row ${i} holds a non-SGR escape`);
  });
}

function sample(cols: number, rows: number): Sim {
  const sim = new Sim(cols, rows);
  sim.emit(
    "web",
    ["\x1b[32mready\x1b[0m in 12 ms", "漢字 and 🎉 " + "z".repeat(300), "plain"],
    "stdout",
    false,
  );
  sim.emit("web", ["\x1b[31mboom\x1b[0m"], "stderr", false);
  sim.status(allStates());
  return sim;
}

Deno.test("at 40x10 every row is exactly 40 cells, with list, output and status bar", () => {
  const sim = sample(40, 10);
  checkFrame(view(sim.state), 40, 10);
  const screen = sim.screen();
  ok(screen[0].includes("Processes 9"));
  ok(screen[0].includes("web"));
  ok(screen[1].includes("web"), screen[1]);
  ok(screen[9].startsWith(" ? help ") && screen[9].includes("3 run 1 restart 3 exit"), screen[9]);
  equal(screen.filter((l) => l.includes("│")).length, 9);
});

Deno.test("at 200x60 every row is exactly 200 cells and every process is listed", () => {
  const sim = sample(200, 60);
  checkFrame(view(sim.state), 200, 60);
  const screen = sim.screen();
  for (const p of allStates()) ok(screen.some((l) => l.includes(p.name)), p.name);
  ok(screen[59].includes("j/k select") && screen[59].includes("Q quit+stop"), screen[59]);
  ok(
    screen[59].trimEnd().endsWith("3 running · 1 restarting · 3 exited · 1 failed · 1 stopped"),
    screen[59],
  );
});

Deno.test("the list shows a mark per state, exit codes, signals, restarts, watch and ready", () => {
  const screen = sample(100, 14).screen();
  const row = (name: string) => screen.slice(1).find((l) => l.includes(` ${name} `))!.split("│")[0];
  ok(row("web").includes("●") && row("web").includes("↻2 w ✓"), row("web"));
  ok(row("api").includes("◌"), row("api"));
  ok(row("restarter").includes("↻ restarter") && row("restarter").includes("↻1"), row("restarter"));
  ok(row("done").includes("○ done"), row("done"));
  ok(
    row("crashed").includes("✗ crashed") && row("crashed").trimEnd().endsWith(" 3"),
    row("crashed"),
  );
  ok(row("killed").trimEnd().endsWith("KILL"), row("killed"));
  ok(row("given-up").includes("✗ given-up") && row("given-up").includes("1 ↻5"), row("given-up"));
  ok(row("halted").includes("■ halted"), row("halted"));
  const raw = view(sample(100, 14).state);
  ok(raw.find((l) => l.includes("crashed"))!.includes("\x1b[31m✗"), "non-zero exit is red");
  ok(raw.find((l) => l.includes("given-up"))!.includes("\x1b[1;31m✗"), "failed is bold red");
  ok(raw[1].includes("\x1b[7m"), "the selected row is highlighted");
});

Deno.test("output keeps ANSI colours, and widths count cells without them", () => {
  const sim = sample(120, 12);
  const raw = view(sim.state);
  const ready = raw.find((l) => stripSgr(l).includes("ready in 12 ms"))!;
  ok(ready.includes("\x1b[32mready\x1b[0m"), JSON.stringify(ready));
  equal(visibleWidth(ready), 120);
  const boom = raw.find((l) => stripSgr(l).includes("boom"))!;
  ok(boom.includes("\x1b[31m▌"), "stderr marker in both mode");
  ok(boom.includes("\x1b[31mboom"));
});

Deno.test("long lines wrap in the output pane; wide characters are not split", () => {
  const sim = sample(60, 20);
  const out = sim.output();
  const start = out.findIndex((l) => l.startsWith("漢字"));
  ok(start >= 0, out.join("\n"));
  ok(out[start + 1].startsWith("z"), "continuation row");
  const joined = out.slice(start, start + 10).join("").replace(/plain.*/, "");
  equal((joined.match(/z/g) ?? []).length, 300, "no character lost to wrapping");
  checkFrame(view(sim.state), 60, 20);
});

Deno.test("long names are shortened with an ellipsis; many processes scroll with the selection", () => {
  const sim = new Sim(40, 8);
  const names = Array.from({ length: 20 }, (_, i) => `process-with-a-very-long-name-${i}`);
  sim.status(names.map((n) => fakeInfo(n)));
  checkFrame(view(sim.state), 40, 8);
  ok(sim.screen()[1].includes("…"), sim.screen()[1]);
  sim.keys("j".repeat(15));
  const body = sim.screen().slice(1, -1).join("\n");
  ok(body.includes("…"), body);
  const selectedRow = view(sim.state).slice(1, -1).findIndex((l) => l.includes("\x1b[7m"));
  ok(selectedRow >= 0, "the selected process is on screen");
});

Deno.test("a terminal that is too small says so instead of drawing garbage", () => {
  const sim = sample(15, 3);
  const lines = view(sim.state);
  equal(lines.length, 3);
  equal(stripSgr(lines[0]), "terminal too sm");
  lines.forEach((l) => equal(visibleWidth(l), 15));
});

Deno.test("the header shows the selected process, stream, pause state and filter", () => {
  const sim = sample(120, 12);
  sim.emit("web", texts(20, "filler "));
  sim.keys("u");
  sim.emit("web", texts(4, "more "));
  const header = sim.screen()[0];
  ok(header.includes("web ready · both · paused +4 new"), header);
  sim.keys("G/boom\r");
  ok(sim.screen()[0].includes('filter "boom"'), sim.screen()[0]);
  assertEquals(sim.output().filter((l) => l), ["boom"]);
});

Deno.test("? shows the key help in the output pane; ? or Esc closes it, other keys close it and act", () => {
  const sim = sample(100, 24);
  sim.keys("?");
  const help = sim.output().join("\n");
  ok(
    help.includes("quit and stop all processes") && help.includes("wheel scrolls, click selects"),
    help,
  );
  checkFrame(view(sim.state), 100, 24);
  sim.keys("\x1b");
  equal(sim.state.help, false);
  equal(sim.state.filter.text, "", "Esc only closed the help");
  sim.keys("?j");
  equal(sim.state.help, false);
  equal(sim.state.selected, "api");
  sim.keys("?q");
  equal(sim.sent("quit").length, 1);
});

Deno.test("every size from the minimum up gives rows of exactly the terminal width", () => {
  const sim = sample(20, 4);
  sim.keys("/zz\x12");
  for (let cols = 20; cols <= 70; cols += 5) {
    for (let rows = 4; rows <= 12; rows += 2) {
      sim.send({ kind: "resize", cols, rows });
      checkFrame(view(sim.state), cols, rows);
    }
  }
});

Deno.test("the header shows CPU and MEM of the selected process once sampled", () => {
  const sim = new Sim(100, 10);
  sim.status([fakeInfo("web", { cpu_percent: 12.5, rss_bytes: 45 * 1024 * 1024 })]);
  ok(sim.screen()[0].includes("web running · CPU 12.5% MEM 45.0M"), sim.screen()[0]);
  checkFrame(view(sim.state), 100, 10);
  const plain = new Sim(100, 10);
  plain.status([fakeInfo("web")]);
  ok(!plain.screen()[0].includes("CPU"), plain.screen()[0]);
});
