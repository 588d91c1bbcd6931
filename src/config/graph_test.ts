/** Tests for the dependency graph: selection, closure, cycles, start/stop order. */

import assert from "node:assert/strict";
import {
  blockedBy,
  dependencyClosure,
  dependents,
  type DepNode,
  findCycle,
  selectProcesses,
  startable,
  startLevels,
  stopLevels,
  waitsFor,
} from "./graph.ts";

const n = (name: string, ...dependsOn: string[]): DepNode => ({ name, dependsOn });
// db <- api <- web, cache <- api, worker (alone), docs <- web
const stack = [
  n("db"),
  n("cache"),
  n("api", "db", "cache"),
  n("web", "api"),
  n("worker"),
  n("docs", "web"),
];
const names = (xs: DepNode[]) => xs.map((x) => x.name);

Deno.test("selectProcesses: all, named plus their dependencies, --no-deps, file order", () => {
  const pick = (want: string[], noDeps = false) => {
    const r = selectProcesses(stack, want, noDeps);
    if (!r.ok) throw new Error(r.message);
    return names(r.selected);
  };
  assert.deepEqual(pick([]), ["db", "cache", "api", "web", "worker", "docs"]);
  assert.deepEqual(pick(["web"]), ["db", "cache", "api", "web"]);
  assert.deepEqual(pick(["worker", "api"]), ["db", "cache", "api", "worker"]);
  assert.deepEqual(pick(["web"], true), ["web"]);
  assert.deepEqual(pick(["web", "web"], true), ["web"]);
});

Deno.test("selectProcesses: unknown names are an error value", () => {
  assert.deepEqual(selectProcesses(stack, ["wbe"], false), {
    ok: false,
    unknown: ["wbe"],
    message:
      'unknown process "wbe" (did you mean "web"?); the config has db, cache, api, web, worker, docs',
  });
  const two = selectProcesses(stack, ["x1", "web", "x2"], false);
  assert.equal(two.ok, false);
  if (!two.ok) assert.deepEqual(two.unknown, ["x1", "x2"]);
});

Deno.test("dependencyClosure and dependents", () => {
  assert.deepEqual([...dependencyClosure("docs", stack)].sort(), ["api", "cache", "db", "web"]);
  assert.deepEqual([...dependencyClosure("db", stack)], []);
  assert.deepEqual(dependents(stack).get("api"), ["web"]);
  assert.deepEqual(dependents(stack).get("db"), ["api"]);
  assert.deepEqual(dependents(stack).get("docs"), []);
});

Deno.test("findCycle: none, self, 3-node path from the first process in file order", () => {
  assert.equal(findCycle(stack), null);
  assert.deepEqual(findCycle([n("a", "a")]), ["a", "a"]);
  assert.deepEqual(findCycle([n("x"), n("c", "a"), n("a", "b"), n("b", "c")]), [
    "c",
    "a",
    "b",
    "c",
  ]);
  assert.deepEqual(findCycle([n("b", "c"), n("a", "b"), n("c", "a")]), ["b", "c", "a", "b"]);
  assert.deepEqual(findCycle([n("a", "b", "missing"), n("b")]), null);
  assert.deepEqual(findCycle([n("top", "a"), n("a", "b"), n("b", "a")]), ["a", "b", "a"]);
});

Deno.test("stopLevels: dependents first, independent ones together", () => {
  const all = names(stack);
  assert.deepEqual(stopLevels(all, stack), [["worker", "docs"], ["web"], ["api"], ["db", "cache"]]);
  // Through a process outside the set: docs -> web -> api, stopping docs and api only.
  assert.deepEqual(stopLevels(["api", "docs"], stack), [["docs"], ["api"]]);
  assert.deepEqual(stopLevels(["db", "worker"], stack), [["db", "worker"]]);
  assert.deepEqual(stopLevels([], stack), []);
  assert.deepEqual(stopLevels(["ghost", "db"], stack), [["ghost", "db"]]);
  // A cycle (refused by the loader) still terminates.
  assert.equal(stopLevels(["a", "b"], [n("a", "b"), n("b", "a")]).flat().length, 2);
});

Deno.test("startLevels, waitsFor, startable, blockedBy: a schedule for up", () => {
  assert.deepEqual(startLevels(names(stack), stack), [["db", "cache", "worker"], ["api"], ["web"], [
    "docs",
  ]]);
  const waits = waitsFor(["db", "web", "worker"], stack); // --no-deps style: web waits for db through api
  assert.deepEqual(Object.fromEntries(waits), { db: [], web: ["db"], worker: [] });
  const all = waitsFor(names(stack), stack);
  const started = new Set<string>();
  const ready = new Set<string>();
  assert.deepEqual(startable(all, started, ready), ["db", "cache", "worker"]);
  for (const s of ["db", "cache", "worker"]) started.add(s);
  ready.add("db");
  assert.deepEqual(startable(all, started, ready), []); // api still waits for cache
  ready.add("cache");
  assert.deepEqual(startable(all, started, ready), ["api"]);
  assert.deepEqual(blockedBy("api", all).sort(), ["docs", "web"]);
  assert.deepEqual(blockedBy("worker", all), []);
});
