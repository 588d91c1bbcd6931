/** Tests of the reducer: selection, actions, pause, scrolling, history loads, filter, stream modes, quit. */

import { deepEqual as assertEquals, equal, ok } from "node:assert/strict";
import { fakeInfo } from "./fake_backend.ts";
import { Sim, texts } from "./testkit.ts";
import { CHUNK, MAX_LINES } from "./buffer.ts";

const UP = "\x1b[A";
const DOWN = "\x1b[B";
const PGUP = "\x1b[5~";
const PGDN = "\x1b[6~";

function threeProcs(): Sim {
  const sim = new Sim(80, 12); // output pane: 10 rows
  sim.emit("web", texts(30, "web "), "stdout", false);
  sim.emit("api", texts(5, "api "), "stdout", false);
  sim.status([fakeInfo("web"), fakeInfo("api"), fakeInfo("db")]);
  return sim;
}

Deno.test("the first process is selected and its recent output loaded from disk", () => {
  const sim = threeProcs();
  equal(sim.state.selected, "web");
  assertEquals(sim.sent("history"), [{
    kind: "history",
    name: "web",
    load: "newest",
    limit: CHUNK,
  }]);
  assertEquals(sim.output(), texts(10, "web ", 20));
});

Deno.test("j/k and arrows move the selection, clamped at both ends, loading each output once", () => {
  const sim = threeProcs();
  sim.keys("j");
  equal(sim.state.selected, "api");
  assertEquals(sim.output().slice(0, 5), texts(5, "api "));
  sim.keys("jjj");
  equal(sim.state.selected, "db");
  sim.keys(UP + "k");
  equal(sim.state.selected, "web");
  sim.keys("k");
  equal(sim.state.selected, "web");
  sim.keys(DOWN);
  equal(sim.state.selected, "api");
  assertEquals(sim.sent("history").map((c) => c.name), ["web", "api", "db"]);
});

Deno.test("when the selected process disappears the selection moves to its neighbour", () => {
  const sim = threeProcs().keys("j");
  sim.status([fakeInfo("web"), fakeInfo("db")]);
  equal(sim.state.selected, "db");
  equal(sim.state.outputs["api"], undefined, "its output is dropped");
  sim.status([]);
  equal(sim.state.selected, null);
  ok(sim.screen().join("\n").includes("no processes in this session"));
});

Deno.test("r, x and X ask the backend and say so; without a selection it is an error", () => {
  const sim = threeProcs();
  sim.keys("r");
  assertEquals(sim.sent("restart"), [{ kind: "restart", name: "web" }]);
  ok(sim.screen().at(-1)!.includes("restarting web"));
  sim.keys("jx");
  assertEquals(sim.sent("stop"), [{ kind: "stop", name: "api" }]);
  sim.keys("X");
  equal(sim.sent("stopAll").length, 1);
  const empty = new Sim().status([]);
  empty.keys("r");
  equal(empty.sent("restart").length, 0);
  equal(empty.state.notice?.level, "error");
});

Deno.test("action results and history errors show in the status bar until the next key", () => {
  const sim = threeProcs();
  sim.send({ kind: "notice", notice: { level: "error", text: "restart web: connection refused" } });
  ok(sim.screen().at(-1)!.includes("restart web: connection refused"));
  sim.keys("e");
  equal(sim.state.notice, null);
  sim.send({ kind: "historyFailed", name: "web", error: "EACCES" });
  ok(sim.screen().at(-1)!.includes("cannot read logs of web: EACCES"));
  sim.send({ kind: "backend", event: { kind: "closed", reason: "socket closed" } });
  sim.keys("e");
  ok(sim.screen().at(-1)!.includes("daemon gone: socket closed"));
});

Deno.test("space pauses: new output is counted, not shown, until space resumes", () => {
  const sim = threeProcs();
  sim.keys(" ");
  equal(sim.state.outputs.web.scroll.kind, "paused");
  sim.emit("web", texts(3, "new "));
  assertEquals(sim.output(), texts(10, "web ", 20));
  ok(sim.screen()[0].includes("paused +3 new"));
  sim.keys(" ");
  equal(sim.state.outputs.web.scroll.kind, "follow");
  assertEquals(sim.output().slice(-3), texts(3, "new "));
  ok(!sim.screen()[0].includes("paused"));
});

Deno.test("lines merged away under a flood still count as new while paused", () => {
  const sim = threeProcs();
  sim.keys(" ");
  const lines = [{ seq: 100, ts: 0, stream: "stdout" as const, text: "x", annotation: false }];
  sim.send({ kind: "backend", event: { kind: "lines", name: "web", lines }, dropped: 50_000 });
  ok(sim.screen()[0].includes("paused +50001 new"), sim.screen()[0]);
});

Deno.test("u/PgUp scroll up half a page and pause; d/PgDn down; reaching the bottom resumes", () => {
  const sim = threeProcs();
  sim.keys("u");
  assertEquals(sim.output(), texts(10, "web ", 15));
  equal(sim.state.outputs.web.scroll.kind, "paused");
  sim.keys(PGUP);
  assertEquals(sim.output(), texts(10, "web ", 10));
  sim.emit("web", ["late"]);
  assertEquals(sim.output(), texts(10, "web ", 10), "paused view does not move");
  sim.keys("d");
  assertEquals(sim.output(), texts(10, "web ", 15));
  equal(sim.state.outputs.web.scroll.kind, "paused");
  sim.keys(PGDN);
  assertEquals(sim.output(), texts(10, "web ", 20));
  equal(sim.state.outputs.web.scroll.kind, "paused", "one line is still below");
  sim.keys(PGDN);
  equal(sim.state.outputs.web.scroll.kind, "follow");
  equal(sim.output().at(-1), "late");
});

Deno.test("g goes to the top (loading older lines), G back to the end", () => {
  const sim = new Sim(80, 12);
  sim.emit("big", texts(2500), "stdout", false);
  sim.status([fakeInfo("big")]);
  equal(sim.state.outputs.big.buf.lines.length, CHUNK);
  sim.keys("g");
  const older = sim.sent("history").at(-1)!;
  assertEquals(older, {
    kind: "history",
    name: "big",
    load: "older",
    limit: CHUNK,
    beforeSeq: 1500,
  });
  equal(sim.output()[0], "line 1500", "stays on the line it was on when older lines arrived");
  equal(sim.state.outputs.big.buf.lines.length, 2 * CHUNK);
  sim.keys("g");
  equal(sim.output()[0], "line 500");
  sim.keys("G");
  equal(sim.output().at(-1), "line 2499");
  equal(sim.state.outputs.big.scroll.kind, "follow");
});

Deno.test("scrolling up past the window reads older lines from disk, one load at a time", () => {
  const sim = new Sim(80, 12);
  sim.emit("big", texts(1500), "stdout", false);
  sim.status([fakeInfo("big")]);
  sim.answerHistory = false;
  for (let i = 0; i < 210; i++) sim.keys("u"); // 5 rows each: past the 1000 lines in memory
  const loads = sim.sent("history").filter((c) => c.load === "older");
  equal(loads.length, 1, "no second load while one is in flight");
  equal(sim.output()[0], "line 500");
  sim.answer(loads[0]);
  sim.keys("u");
  equal(sim.output()[0], "line 495");
  sim.keys(PGUP.repeat(200));
  equal(sim.output()[0], "line 0");
  const last = sim.sent("history").at(-1)!;
  sim.answer(last);
  equal(sim.state.outputs.big.buf.hasOlder, false);
});

Deno.test("a long pause under a flood detaches the window; resuming reloads the newest from disk", () => {
  const sim = threeProcs();
  sim.keys(" ");
  for (let i = 0; i < 12; i++) sim.emit("web", texts(1000, "flood ", i * 1000));
  const out = sim.state.outputs.web;
  ok(out.buf.lines.length <= MAX_LINES, `window holds ${out.buf.lines.length} lines`);
  equal(out.buf.live, false);
  assertEquals(sim.output(), texts(10, "web ", 20), "still showing where it paused");
  sim.keys("G");
  const reload = sim.sent("history").at(-1)!;
  equal(reload.load, "newest");
  equal(sim.output().at(-1), "flood 11999");
  equal(sim.state.outputs.web.buf.live, true);
  sim.emit("web", ["after"]);
  equal(sim.output().at(-1), "after");
});

Deno.test("scrolling down through a detached window reads newer lines from disk", () => {
  const sim = threeProcs();
  sim.keys("u");
  for (let i = 0; i < 6; i++) sim.emit("web", texts(1000, "flood ", i * 1000));
  equal(sim.state.outputs.web.buf.live, false);
  for (let i = 0; i < 2000 && sim.state.outputs.web.scroll.kind === "paused"; i++) sim.keys("d");
  const loads = sim.sent("history").map((c) => c.load);
  ok(loads.includes("newer"), `loads: ${loads}`);
  equal(sim.state.outputs.web.scroll.kind, "follow");
  equal(sim.output().at(-1), "flood 5999");
});

Deno.test("the filter: substring (smart case) applied while typing, Enter keeps, Esc clears", () => {
  const sim = new Sim(80, 12);
  sim.emit(
    "app",
    ["GET /a 200", "GET /b 500", "post /c 200", "Error: boom", "error: again"],
    "stdout",
    false,
  );
  sim.status([fakeInfo("app")]);
  sim.keys("/err");
  equal(sim.state.input, "filter");
  assertEquals(sim.output().filter((l) => l), ["Error: boom", "error: again"]);
  sim.keys("\x7f\x7f\x7fError\r");
  equal(sim.state.input, "normal");
  assertEquals(sim.output().filter((l) => l), ["Error: boom"]);
  ok(sim.screen()[0].includes('filter "Error"'));
  sim.keys("\x1b");
  assertEquals(sim.output().filter((l) => l).length, 5);
  // In filter mode, letters are text, not commands.
  sim.keys("/qx");
  equal(sim.sent("quit").length, 0);
  equal(sim.state.filter.text, "qx");
  sim.keys("\x1b");
  equal(sim.state.filter.text, "");
  equal(sim.state.input, "normal");
});

Deno.test("the filter as a regex; an invalid regex is shown and not applied", () => {
  const sim = new Sim(100, 12);
  sim.emit("app", ["GET /a 200", "GET /b 500", "post /c 201"], "stdout", false);
  sim.status([fakeInfo("app")]);
  sim.keys("/ 20\\d$\x12");
  equal(sim.state.filter.regex, true);
  assertEquals(sim.output().filter((l) => l), ["GET /a 200", "post /c 201"]);
  sim.keys("\x15(unclosed");
  ok(sim.screen().at(-1)!.includes("invalid regex"), sim.screen().at(-1));
  equal(sim.output().filter((l) => l).length, 3, "not applied: everything shows");
  sim.keys("\r");
  ok(sim.screen()[0].includes("invalid regex, not applied"));
  sim.keys("\x12"); // back to substring: "(unclosed" matches nothing
  equal(sim.state.filter.regex, false);
  ok(sim.output()[0].includes("no lines match the filter"));
});

Deno.test("e cycles the stream: both, stdout, stderr, browser", () => {
  const sim = new Sim(80, 12);
  sim.emit("app", ["out 1"], "stdout", false).emit("app", ["err 1"], "stderr", false).emit(
    "app",
    ["out 2"],
    "stdout",
    false,
  ).emit("app", ["[browser] error boom"], "browser", false);
  sim.status([fakeInfo("app")]);
  assertEquals(sim.output().filter((l) => l), ["out 1", "err 1", "out 2", "[browser] error boom"]);
  sim.keys("e");
  equal(sim.state.mode, "stdout");
  assertEquals(sim.output().filter((l) => l), ["out 1", "out 2"]);
  sim.keys("e");
  assertEquals(sim.output().filter((l) => l), ["err 1"]);
  sim.keys("e");
  equal(sim.state.mode, "browser");
  assertEquals(sim.output().filter((l) => l), ["[browser] error boom"]);
  sim.keys("e");
  equal(sim.state.mode, "both");
});

Deno.test("q and Ctrl-C quit leaving processes running; Q quits stopping everything", () => {
  const sim = threeProcs();
  sim.keys("q");
  assertEquals(sim.sent("quit"), [{ kind: "quit", stopAll: false }]);
  sim.keys("\x03");
  equal(sim.sent("quit").length, 2);
  sim.keys("Q");
  assertEquals(sim.sent("quit").at(-1), { kind: "quit", stopAll: true });
});

Deno.test("mouse: a click selects a process, the wheel scrolls the output or moves in the list", () => {
  const sim = threeProcs();
  sim.keys("\x1b[<0;3;4M"); // row 4 (1-based): third body row -> db
  equal(sim.state.selected, "db");
  sim.keys("\x1b[<0;3;4m\x1b[<0;3;12M"); // release; click below the list: nothing
  equal(sim.state.selected, "db");
  sim.keys("\x1b[<64;3;3M");
  equal(sim.state.selected, "api");
  sim.keys("\x1b[<0;3;2M\x1b[<64;40;5M");
  equal(sim.state.selected, "web");
  assertEquals(sim.output(), texts(10, "web ", 17));
  sim.keys("\x1b[<65;40;5M");
  equal(sim.state.outputs.web.scroll.kind, "follow");
});

Deno.test("resize re-wraps the output and keeps the paused line at the top", () => {
  const sim = new Sim(60, 12);
  sim.emit("app", texts(40, "x".repeat(30) + " "), "stdout", false);
  sim.status([fakeInfo("app")]);
  sim.keys("u");
  const top = sim.output()[0];
  sim.send({ kind: "resize", cols: 40, rows: 8 });
  equal(sim.screen().length, 8);
  ok(top.startsWith(sim.output()[0].slice(0, 10)));
});
