/** Unit tests of the watch planner on a fake directory tree. */

import assert from "node:assert/strict";
import { isWithin, planWatch } from "./plan.ts";

const TREE: Record<string, string[]> = {
  "/p": ["/p/src", "/p/node_modules", "/p/.git", "/p/docs"],
  "/p/src": ["/p/src/a", "/p/src/b"],
  "/p/src/a": ["/p/src/a/deep"],
  "/p/src/b": ["/p/src/b/node_modules"],
  "/p/node_modules": ["/p/node_modules/x"],
};
const list = (d: string) => TREE[d] ?? [];
const ignored = (p: string) => p.split("/").some((s) => s === "node_modules" || s === ".git");

Deno.test("plan: ignored directories are split off; clean subtrees stay recursive", () => {
  const plan = planWatch([{ path: "/p", recursive: true }], list, ignored);
  assert.deepEqual(plan, {
    recursive: ["/p/docs", "/p/src/a"],
    flat: ["/p", "/p/src", "/p/src/b"],
    expand: ["/p", "/p/src", "/p/src/b"],
  });
});

Deno.test("plan: a clean tree is one recursive watch", () => {
  const plan = planWatch([{ path: "/p/src/a", recursive: true }], list, ignored);
  assert.deepEqual(plan, { recursive: ["/p/src/a"], flat: [], expand: [] });
});

Deno.test("plan: nested and repeated inputs are merged", () => {
  const plan = planWatch(
    [
      { path: "/p/src/a", recursive: true },
      { path: "/p/src/a/deep", recursive: true },
      { path: "/p/src/a", recursive: false },
      { path: "/p/src/a/deep", recursive: false },
      { path: "/p/docs", recursive: false },
      { path: "/p/docs", recursive: false },
    ],
    list,
    ignored,
  );
  assert.deepEqual(plan, { recursive: ["/p/src/a"], flat: ["/p/docs"], expand: [] });
});

Deno.test("plan: flat inputs inside a split tree stay flat, ignored inputs are dropped", () => {
  const plan = planWatch(
    [
      { path: "/p", recursive: false },
      { path: "/p/src", recursive: false },
      { path: "/p/node_modules/x", recursive: true },
    ],
    list,
    ignored,
  );
  assert.deepEqual(plan, { recursive: [], flat: ["/p", "/p/src"], expand: [] });
});

Deno.test("plan: isWithin compares whole segments", () => {
  assert.equal(isWithin("/p/src", "/p/src"), true);
  assert.equal(isWithin("/p/src/a", "/p/src"), true);
  assert.equal(isWithin("/p/srcx", "/p/src"), false);
  assert.equal(isWithin("/p", "/"), true);
});
