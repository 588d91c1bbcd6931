/**
 * The dependency graph of a stack (pure): which processes `up NAMES` starts,
 * cycle detection, the order in which to start (each as soon as everything it
 * waits for is ready) and to stop (dependents first, each level at once).
 * Works on anything with a `name` and `dependsOn`, such as `ProcessSpec`.
 * Dependencies on names that are not in `all` are ignored here (the config
 * loader refuses them).
 */

import { didYouMean } from "./suggest.ts";

/** The shape the graph functions need. */
export interface DepNode {
  name: string;
  dependsOn: readonly string[];
}

/** The processes to start, in file order, or the names that do not exist. */
export type Selection<T> =
  | { ok: true; selected: T[] }
  | { ok: false; unknown: string[]; message: string };

function byName<T extends DepNode>(all: readonly T[]): Map<string, T> {
  return new Map(all.map((n) => [n.name, n]));
}

/** Every name reachable from `start` along `dependsOn` (not `start` itself unless in a cycle). */
export function dependencyClosure(start: string, all: readonly DepNode[]): Set<string> {
  const map = byName(all);
  const seen = new Set<string>();
  const stack = [...(map.get(start)?.dependsOn ?? [])];
  while (stack.length > 0) {
    const n = stack.pop() as string;
    if (seen.has(n) || !map.has(n)) continue;
    seen.add(n);
    stack.push(...(map.get(n)?.dependsOn ?? []));
  }
  return seen;
}

/**
 * The processes `up` starts: all of them when `names` is empty; else the named
 * ones plus everything they depend on (transitively) unless `noDeps`. Keeps
 * file order. Unknown names give an error value naming them.
 */
export function selectProcesses<T extends DepNode>(
  all: readonly T[],
  names: readonly string[],
  noDeps: boolean,
): Selection<T> {
  const known = all.map((n) => n.name);
  const unknown = [...new Set(names.filter((n) => !known.includes(n)))];
  if (unknown.length > 0) {
    const list = unknown.map((u) => JSON.stringify(u)).join(", ");
    const hint = unknown.length === 1 ? didYouMean(unknown[0], known) : "";
    const message = `unknown process${
      unknown.length > 1 ? "es" : ""
    } ${list}${hint}; the config has ${known.join(", ")}`;
    return { ok: false, unknown, message };
  }
  if (names.length === 0) return { ok: true, selected: [...all] };
  const want = new Set(names);
  if (!noDeps) { for (const n of names) for (const d of dependencyClosure(n, all)) want.add(d); }
  return { ok: true, selected: all.filter((n) => want.has(n.name)) };
}

/**
 * A dependency cycle as a path that ends where it starts (`["a", "b", "a"]`),
 * beginning at the cycle's process that comes first in `all`; null when there
 * is none. A process that depends on itself gives `["a", "a"]`.
 */
export function findCycle(all: readonly DepNode[]): string[] | null {
  const map = byName(all);
  const order = new Map(all.map((n, i) => [n.name, i]));
  const state = new Map<string, "active" | "done">();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    state.set(name, "active");
    path.push(name);
    for (const d of map.get(name)?.dependsOn ?? []) {
      if (!map.has(d)) continue;
      const s = state.get(d);
      if (s === "active") return path.slice(path.indexOf(d));
      if (s === undefined) {
        const found = visit(d);
        if (found) return found;
      }
    }
    path.pop();
    state.set(name, "done");
    return null;
  };
  for (const n of all) {
    if (state.has(n.name)) continue;
    const cycle = visit(n.name);
    if (!cycle) continue;
    let first = 0;
    cycle.forEach((c, i) => {
      if ((order.get(c) ?? 0) < (order.get(cycle[first]) ?? 0)) first = i;
    });
    const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
    return [...rotated, rotated[0]];
  }
  return null;
}

/** For each process, the processes that list it in `dependsOn` (direct dependents). */
export function dependents(all: readonly DepNode[]): Map<string, string[]> {
  const out = new Map<string, string[]>(all.map((n) => [n.name, []]));
  for (const n of all) for (const d of n.dependsOn) out.get(d)?.push(n.name);
  return out;
}

/**
 * For each of `names`, the other members of `names` it must wait for before
 * it starts: those it depends on directly or through processes outside
 * `names` (so `--no-deps` still keeps the order among the named ones).
 */
export function waitsFor(names: readonly string[], all: readonly DepNode[]): Map<string, string[]> {
  const set = new Set(names);
  return new Map(
    names.map((n) => [n, [...dependencyClosure(n, all)].filter((d) => set.has(d) && d !== n)]),
  );
}

/**
 * The members of `waits` that can start now: not yet started, and everything
 * they wait for is ready. Call it again whenever a process becomes ready.
 */
export function startable(
  waits: Map<string, string[]>,
  started: Set<string>,
  ready: Set<string>,
): string[] {
  return [...waits].filter(([n, ds]) => !started.has(n) && ds.every((d) => ready.has(d))).map((
    [n],
  ) => n);
}

/** The members of `waits` that can never start because they wait for `failed`. */
export function blockedBy(failed: string, waits: Map<string, string[]>): string[] {
  return [...waits].filter(([, ds]) => ds.includes(failed)).map(([n]) => n);
}

/**
 * Levels to start `names` in: a process is in the level after the last of the
 * processes it waits for (see `waitsFor`). Useful for display and tests; `up`
 * itself should use `startable` so nothing waits for an unrelated process.
 */
export function startLevels(names: readonly string[], all: readonly DepNode[]): string[][] {
  return levels(names, waitsFor(names, all));
}

/**
 * Levels to stop `names` in: dependents first (directly or through processes
 * outside `names`); every process of a level can stop at once, and a level
 * starts once the previous one has stopped. Order within a level follows
 * `names`.
 */
export function stopLevels(names: readonly string[], all: readonly DepNode[]): string[][] {
  const set = new Set(names);
  const rev = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const n of names) {
    for (const d of dependencyClosure(n, all)) if (set.has(d) && d !== n) rev.get(d)?.push(n);
  }
  return levels(names, rev);
}

/** Groups `names` by the longest chain of `before` edges that must come first. */
function levels(names: readonly string[], before: Map<string, string[]>): string[][] {
  const depth = new Map<string, number>();
  const active = new Set<string>();
  const rank = (n: string): number => {
    const known = depth.get(n);
    if (known !== undefined) return known;
    if (active.has(n)) return 0; // a cycle: the loader refuses these, do not loop
    active.add(n);
    const r = Math.max(-1, ...(before.get(n) ?? []).map(rank)) + 1;
    active.delete(n);
    depth.set(n, r);
    return r;
  };
  const out: string[][] = [];
  for (const n of [...new Set(names)]) (out[rank(n)] ??= []).push(n);
  return out.filter((l) => l !== undefined);
}
