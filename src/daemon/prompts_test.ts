/**
 * In-process tests of prompt watching (fake clock): a question followed by
 * silence is awaiting input; more output in time is not; no timer is left
 * for an idle process; the status row, the event and the question asked at
 * the end go through the supervisor.
 */

import { deepEqual, equal } from "node:assert/strict";
import { FakeClock, reach, rig, spec } from "./test_support.ts";
import { type AwaitingInput, PromptWatch } from "./prompts.ts";
import { emptyState } from "./state_file.ts";
import { eventsPath, readEvents } from "../events/store.ts";

const b = (s: string) => new TextEncoder().encode(s);

function watch() {
  const clock = new FakeClock();
  const changes: (AwaitingInput | null)[] = [];
  const w = new PromptWatch(clock, (_n, a) => changes.push(a));
  return { clock, changes, w };
}

Deno.test("prompts: a question and 1 s of silence is awaiting input; new output ends it", () => {
  const { clock, changes, w } = watch();
  const start = clock.now();
  w.output("py", 1, 0, b("Proceed"));
  w.output("py", 1, 0, b("? (y/n) "));
  clock.advance(999);
  equal(w.awaiting("py"), null);
  clock.advance(1);
  deepEqual(w.awaiting("py"), { prompt: "Proceed? (y/n)", since: start, generation: 1 });
  equal(clock.pending, 0, "no timer after the prompt was seen");
  w.output("py", 1, 0, b("read y\n"));
  equal(w.awaiting("py"), null);
  equal(changes.length, 2);
  equal(clock.pending, 0);
});

Deno.test("prompts: `Loading:` followed by output within 200 ms is never awaiting input", () => {
  const { clock, changes, w } = watch();
  w.output("app", 1, 0, b("Loading:"));
  clock.advance(200);
  w.output("app", 1, 0, b(" done\nserving on :3000\n"));
  equal(clock.pending, 0, "the timer went with the question");
  clock.advance(5000);
  deepEqual(changes, []);
});

Deno.test("prompts: output ending in a newline arms nothing (an idle daemon does not poll)", () => {
  const { clock, w } = watch();
  w.output("web", 1, 1, b("listening on http://localhost:3000\n"));
  equal(clock.pending, 0);
});

Deno.test("prompts: the silence counts from the last byte, on either stream", () => {
  const { clock, w } = watch();
  w.output("t", 1, 0, b("Name: "));
  clock.advance(600);
  w.output("t", 1, 1, b("warning: no config\n"));
  clock.advance(600);
  equal(w.awaiting("t"), null, "only 600 ms since the warning");
  clock.advance(400);
  equal(w.awaiting("t")?.prompt, "Name:");
});

Deno.test("prompts: the question asked when the incarnation ended is kept for it", () => {
  const { w } = watch();
  w.output("py", 3, 0, b("Proceed? (y/n) "));
  w.output("py", 3, 1, b("EOFError: EOF when reading a line\n"));
  w.ended("py", 3);
  equal(w.askedAtEnd("py", 3), "Proceed? (y/n)");
  equal(w.askedAtEnd("py", 4), null);
});

Deno.test("supervisor: awaiting_input in the row and an awaiting-input event", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-prompt-" });
  const r = rig(dir, emptyState());
  try {
    r.sup.start(spec("py", { stdin: "pipe" }));
    r.children.last.print("Port 3000 is in use, use 3001? (Y/n) ");
    r.clock.advance(1000);
    const a = await reach(r.sup, () => r.sup.infos()[0].awaiting_input ?? undefined, "awaiting");
    equal(a.prompt, "Port 3000 is in use, use 3001? (Y/n)");
    equal(r.sup.infos()[0].stdin, "pipe");
    const ev = readEvents(eventsPath(r.paths)).at(-1);
    equal(ev?.type, "awaiting-input");
    equal(ev?.details.prompt, "Port 3000 is in use, use 3001? (Y/n)");
    r.children.last.exit(1);
    await reach(r.sup, () => r.sup.infos()[0].state === "exited" || undefined, "exited");
    equal(r.sup.infos()[0].awaiting_input, null);
    equal(r.sup.input.askedAtEnd("py", 1), "Port 3000 is in use, use 3001? (Y/n)");
  } finally {
    r.sup.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("prompts: an answer ends the wait even when the program then stays silent", () => {
  const { clock, changes, w } = watch();
  w.output("py", 1, 0, b("Proceed? (y/n) "));
  clock.advance(1000);
  equal(w.awaiting("py")?.prompt, "Proceed? (y/n)");
  w.answered("py", true);
  equal(w.awaiting("py"), null);
  clock.advance(5000);
  equal(w.awaiting("py"), null, "no question left after a line was sent");
  equal(clock.pending, 0);
  w.output("py", 1, 0, b("Name: "));
  clock.advance(1000);
  w.answered("py", false);
  equal(w.awaiting("py"), null);
  clock.advance(1000);
  equal(w.awaiting("py")?.prompt, "Name:", "a partial answer: still waiting after the silence");
  equal(changes.length, 5);
});
