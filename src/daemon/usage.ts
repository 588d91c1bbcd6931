/**
 * Resources in status rows, sampled when a client asks (never on a timer):
 * `listening` always, and with `resources` also `cpu_percent` (share of one
 * core) and `rss_bytes`, summed over each process group. CPU is averaged
 * since an earlier sample of the group that is 0.1-1 s old when there is one
 * (so a client polling `status` pays nothing extra), else over a fresh 100 ms
 * window. The averaging is pure (`cpuPercent`, `pickBase`); `UsageSampler`
 * keeps the recent samples.
 */

import type { ProcessInfo } from "../model.ts";
import { type GroupSample, listeningOf, sampleGroups } from "../ports/resources.ts";

/** Shortest and longest age of an earlier sample that CPU may be averaged over (ms). */
export const CPU_WINDOW = { min: 100, max: 1000 } as const;

/** CPU seconds of a group at a moment (ms on a monotonic clock). */
export interface CpuPoint {
  cpuSecs: number;
  at: number;
}

/** Share of one core between two points, in percent (one decimal), never negative. Pure. */
export function cpuPercent(from: CpuPoint, to: CpuPoint): number {
  const elapsed = (to.at - from.at) / 1000;
  if (elapsed <= 0) return 0;
  const pct = Math.max(0, (to.cpuSecs - from.cpuSecs) / elapsed * 100);
  return Math.round(pct * 10) / 10;
}

/** The newest point of `history` that is 0.1-1 s older than `now`, or null. Pure. */
export function pickBase(history: CpuPoint[], now: number): CpuPoint | null {
  let best: CpuPoint | null = null;
  for (const p of history) {
    const age = now - p.at;
    if (age >= CPU_WINDOW.min && age <= CPU_WINDOW.max && (!best || p.at > best.at)) best = p;
  }
  return best;
}

/** What the sampler needs from the outside world (fakes in tests). */
export interface SamplerDeps {
  sample(pgids: ReadonlySet<number>): Promise<Map<number, GroupSample>>;
  /** Only the listening ports (cheaper); without it, `sample` answers those too. */
  listening?(pgids: ReadonlySet<number>): Promise<Map<number, number[]>>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realDeps: SamplerDeps = {
  sample: sampleGroups,
  listening: listeningOf,
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** Fills `listening`, `cpu_percent` and `rss_bytes` of status rows. */
export class UsageSampler {
  readonly #history = new Map<number, CpuPoint[]>();

  constructor(private readonly deps: SamplerDeps = realDeps) {}

  #remember(pgid: number, p: CpuPoint): void {
    const kept = (this.#history.get(pgid) ?? []).filter((q) => p.at - q.at <= CPU_WINDOW.max);
    this.#history.set(pgid, [...kept, p]);
  }

  /** The rows with their group's usage; `resources` adds CPU and memory (may take 100 ms). */
  async fill(rows: ProcessInfo[], resources: boolean): Promise<ProcessInfo[]> {
    const pgids = new Set(rows.map((r) => r.pid).filter((p): p is number => p !== null));
    if (pgids.size === 0) return rows;
    if (!resources && this.deps.listening) {
      const ports = await this.deps.listening(pgids);
      return rows.map((r) => {
        const listening = r.pid !== null ? ports.get(r.pid) : undefined;
        return listening ? { ...r, listening } : r;
      });
    }
    const first = await this.deps.sample(pgids);
    let at = this.deps.now();
    const latest = new Map(first);
    const cpu = new Map<number, number>();
    if (resources) {
      // Forget groups that are gone.
      for (const g of this.#history.keys()) if (!pgids.has(g)) this.#history.delete(g);
      const fresh = new Set<number>();
      for (const [pgid, s] of first) {
        const base = pickBase(this.#history.get(pgid) ?? [], at);
        const point = { cpuSecs: s.cpuSecs, at };
        if (base) cpu.set(pgid, cpuPercent(base, point));
        else fresh.add(pgid);
        this.#remember(pgid, point);
      }
      if (fresh.size) {
        await this.deps.sleep(CPU_WINDOW.min);
        const second = await this.deps.sample(fresh);
        at = this.deps.now();
        for (const [pgid, s] of second) {
          const before = first.get(pgid)!;
          const base = this.#history.get(pgid)!.at(-1)!;
          cpu.set(
            pgid,
            cpuPercent({ ...base, cpuSecs: before.cpuSecs }, { cpuSecs: s.cpuSecs, at }),
          );
          this.#remember(pgid, { cpuSecs: s.cpuSecs, at });
          latest.set(pgid, s);
        }
      }
    }
    return rows.map((r) => {
      const s = r.pid !== null ? latest.get(r.pid) : undefined;
      if (!s) return r;
      return {
        ...r,
        listening: s.listening,
        ...(resources ? { cpu_percent: cpu.get(r.pid!) ?? null, rss_bytes: s.rssBytes } : {}),
      };
    });
  }
}
