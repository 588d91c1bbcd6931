/** Unit tests of the trailing debounce (real timers, short quiet period). */

import assert from "node:assert/strict";
import { Debouncer } from "./debounce.ts";

function nextFire(): { d: Debouncer; fired: Promise<{ path: string; count: number; at: number }> } {
  let resolve: (v: { path: string; count: number; at: number }) => void = () => {};
  const fired = new Promise<{ path: string; count: number; at: number }>((r) => resolve = r);
  const d = new Debouncer(50, (path, count) => resolve({ path, count, at: performance.now() }));
  return { d, fired };
}

Deno.test("debounce: a burst fires once, after the last hit, with its first path and count", async () => {
  const { d, fired } = nextFire();
  d.hit("a");
  d.hit("b", 3);
  d.hit("c");
  const last = performance.now();
  const got = await fired;
  assert.equal(got.path, "a");
  assert.equal(got.count, 5);
  assert.ok(got.at - last >= 45, `fired ${got.at - last} ms after the last hit`);
});

Deno.test("debounce: each burst starts fresh", async () => {
  let resolve: (v: string) => void = () => {};
  const seen: string[] = [];
  const d = new Debouncer(20, (path, count) => {
    seen.push(`${path}:${count}`);
    resolve(path);
  });
  let fired = new Promise<string>((r) => resolve = r);
  d.hit("x");
  await fired;
  fired = new Promise<string>((r) => resolve = r);
  d.hit("y");
  d.hit("z");
  await fired;
  assert.deepEqual(seen, ["x:1", "y:2"]);
});
