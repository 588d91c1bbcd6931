/** Unit tests of the stdin pipes: writes in order, eof, a replaced pipe, and a process that never reads. */

import { deepEqual, equal, ok } from "node:assert/strict";
import { StdinPipes } from "./stdin.ts";

/** A stream that records what reaches it; `stuck` never finishes a write. */
function sink(stuck = false) {
  const got: string[] = [];
  let closed = false;
  const stream = new WritableStream<Uint8Array>({
    write: (c) => stuck ? new Promise(() => {}) : void got.push(new TextDecoder().decode(c)),
    close: () => void (closed = true),
  }, { highWaterMark: 0 });
  return { stream, got, closed: () => closed };
}

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("stdin: sends arrive in order; eof closes; a later send says it is closed", async () => {
  const pipes = new StdinPipes();
  const s = sink();
  pipes.attach("a", 1, s.stream);
  const [r1, r2] = await Promise.all([
    pipes.send("a", bytes("one\n"), false),
    pipes.send("a", bytes("two\n"), true),
  ]);
  deepEqual(r1, { ok: true, bytes: 4, closed: false });
  deepEqual(r2, { ok: true, bytes: 4, closed: true });
  deepEqual(s.got, ["one\n", "two\n"]);
  ok(s.closed());
  equal(pipes.has("a"), false);
  const r3 = await pipes.send("a", bytes("x"), false);
  equal(r3.ok ? "" : r3.why, "closed");
});

Deno.test("stdin: a new incarnation replaces the pipe; a stale detach leaves it", async () => {
  const pipes = new StdinPipes();
  const old = sink();
  const cur = sink();
  pipes.attach("a", 1, old.stream);
  pipes.attach("a", 2, cur.stream);
  pipes.detach("a", 1);
  ok((await pipes.send("a", bytes("hi"), false)).ok);
  deepEqual(cur.got, ["hi"]);
  deepEqual(old.got, []);
  pipes.detach("a", 2);
  const r = await pipes.send("a", bytes("x"), false);
  equal(r.ok ? "" : r.why, "not-running");
});

Deno.test("stdin: a process that does not read makes the send give up at the deadline", async () => {
  const pipes = new StdinPipes();
  pipes.attach("a", 1, sink(true).stream);
  const r = await pipes.send("a", bytes("hi"), false, 30);
  equal(r.ok ? "" : r.why, "stuck");
  pipes.close();
});
