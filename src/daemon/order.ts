/**
 * Stop order for a set of records: dependents first. Returns levels; every
 * process of a level can stop at once, and a level starts only after the
 * previous one has stopped.
 */

import type { ProcRecord } from "./lifecycle.ts";

/** Groups `recs` into stop levels (dependents before their dependencies). */
export function stopOrder(recs: ProcRecord[]): string[][] {
  const names = new Set(recs.map((r) => r.spec.name));
  const remaining = new Map(recs.map((r) => [r.spec.name, r]));
  const levels: string[][] = [];
  while (remaining.size > 0) {
    // A process can stop now when no remaining process depends on it.
    const level = [...remaining.keys()].filter((n) =>
      ![...remaining.values()].some((r) => r.spec.name !== n && r.spec.dependsOn.includes(n))
    );
    const pick = level.length > 0 ? level : [...remaining.keys()]; // a cycle: stop the rest together
    for (const n of pick) remaining.delete(n);
    levels.push(pick.filter((n) => names.has(n)));
  }
  return levels;
}
