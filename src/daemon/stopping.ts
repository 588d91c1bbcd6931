/**
 * Stopping processes and waiting until they are no longer live: a set at
 * once (`stop`, `stop-all`), or in dependency order, dependents first (the
 * daemon's shutdown), with the same `stopLevels` that `down` uses.
 */

import { stopLevels } from "../config/graph.ts";
import { isLive } from "./lifecycle.ts";
import type { Supervisor } from "./supervisor.ts";

/** Stops `names` and resolves when none of them is live any more (or they are forgotten). */
export async function stopNames(sup: Supervisor, names: string[]): Promise<void> {
  for (const n of names) sup.dispatch(n, { type: "stop" });
  await sup.until(() => names.every((n) => !isLive(sup.get(n)?.phase ?? GONE)) || undefined);
}

/** Stops every live process, dependents before what they depend on. */
export async function stopAllInOrder(sup: Supervisor): Promise<void> {
  const live = sup.list().filter((r) => isLive(r.phase)).map((r) => r.spec.name);
  const specs = sup.list().map((r) => r.spec);
  for (const level of stopLevels(live, specs)) await stopNames(sup, level);
}

const GONE = { kind: "gone" } as const;
