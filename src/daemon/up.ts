/**
 * `up` and `down` inside the daemon. `up` starts each selected process as
 * soon as everything it waits for is ready (independent ones together),
 * leaves running processes with an unchanged spec alone, restarts changed
 * ones, reports each step to the client, and never starts what depends on a
 * process that failed. `down` stops processes dependents-first and forgets them.
 */

import type { ProcessSpec } from "../model.ts";
import type { Request, UpResult, UpStep } from "../protocol.ts";
import { blockedBy, startable, stopLevels, waitsFor } from "../config/graph.ts";
import type { ConnContext } from "./server.ts";
import type { DaemonContext } from "./context.ts";
import { isLive } from "./lifecycle.ts";
import { stopNames } from "./stopping.ts";
import { failureDetails, lastLines, waitFor } from "./waits.ts";

/** The spec without what does not make it a different process: the inherited env and the port. */
function fingerprint(spec: ProcessSpec): string {
  const { env: _env, configPath: _c, port: _p, ...rest } = spec;
  return canonical(rest);
}

/** JSON with object keys sorted at every depth (a key list given to JSON.stringify would drop nested keys). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries: [string, unknown][] = Object.entries(v);
    entries.sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/**
 * Whether a running process already matches the wanted spec, so `up` leaves it
 * alone. The inherited env does not count; a port the config leaves out (the
 * proxy assigns one) does not count, but a port it states must match.
 */
export function sameSpec(running: ProcessSpec, wanted: ProcessSpec): boolean {
  if (wanted.port !== null && wanted.port !== running.port) return false;
  return fingerprint(running) === fingerprint(wanted);
}

/** Runs `up`. */
export async function up(
  daemon: DaemonContext,
  req: Extract<Request, { type: "up" }>,
  ctx: ConnContext<"up">,
  proxyUrl: string | null,
): Promise<void> {
  const { sup } = daemon;
  const specs = new Map(req.specs.map((s) => [s.name, s]));
  const waits = waitsFor(req.selected, req.specs);
  const started = new Set<string>();
  const ready = new Set<string>();
  const failed: string[] = [];
  const blocked = new Set<string>();
  const report = (
    name: string,
    step: UpStep,
    message: string | null = null,
    details: string[] = [],
  ) => {
    const rec = sup.get(name);
    ctx.send({ type: "progress", name, step, info: rec ? sup.info(rec) : null, message, details });
  };
  for (const [n, ds] of waits) if (ds.length) report(n, "waiting", `waiting for ${ds.join(", ")}`);

  const block = (name: string) => {
    for (const b of blockedBy(name, waits)) {
      if (blocked.has(b) || started.has(b)) continue;
      blocked.add(b);
      report(b, "blocked", `not started: it depends on ${name}`);
      block(b);
    }
  };

  const launch = async (name: string): Promise<void> => {
    const spec = specs.get(name)!;
    const rec = sup.get(name);
    if (rec && isLive(rec.phase) && sameSpec(rec.spec, spec)) {
      report(name, "unchanged");
    } else {
      const changed = !!rec && isLive(rec.phase);
      if (changed) await stopNames(sup, [name]);
      const prepared = await daemon.services.prepare(spec);
      if (!prepared.ok) {
        failed.push(name);
        report(name, "failed", prepared.message);
        block(name);
        return;
      }
      const spawnError = sup.start(prepared.spec).spawnError;
      if (spawnError !== null) {
        failed.push(name);
        report(name, "failed", spawnError);
        block(name);
        return;
      }
      report(name, changed ? "restarted" : "started");
    }
    const detailsOf = (n: string) => {
      const r = sup.get(n);
      return r ? failureDetails(daemon.paths, r) : lastLines(daemon.paths, n, 10);
    };
    const outcome = await waitFor(
      sup,
      daemon.paths,
      name,
      { kind: "ready" },
      spec.readyTimeoutMs,
      ctx.signal,
    );
    if (outcome.ok) {
      ready.add(name);
      report(name, "ready");
      return;
    }
    failed.push(name);
    const message = outcome.code === "timeout"
      ? `${name} was not ready within ${spec.readyTimeoutMs / 1000}s`
      : outcome.hint
      ? `${outcome.message}\nhint: ${outcome.hint}`
      : outcome.message;
    report(
      name,
      "failed",
      message,
      outcome.details ?? detailsOf(name),
    );
    block(name);
  };

  await new Promise<void>((resolve) => {
    const running = new Set<Promise<void>>();
    // Only the processes not started yet are looked at again (300 independent ones all start at
    // the first look, and each completion would otherwise look at all 300 again).
    const pending = new Map(waits);
    const pump = () => {
      for (const n of startable(pending, started, ready)) {
        pending.delete(n);
        if (blocked.has(n)) continue;
        started.add(n);
        const p = launch(n).finally(() => {
          running.delete(p);
          pump();
        });
        running.add(p);
      }
      if (running.size === 0) resolve();
    };
    pump();
  });
  const result: UpResult = {
    processes: req.selected.map((n) => sup.get(n)).filter((r) => !!r).map((r) => sup.info(r)),
    failed,
    blocked: [...blocked],
    proxy: proxyUrl,
  };
  ctx.reply(result);
}

/** Runs `down`: stops the named processes dependents-first, then forgets them. */
export async function down(
  daemon: DaemonContext,
  req: Extract<Request, { type: "down" }>,
  ctx: ConnContext<"down">,
): Promise<void> {
  const { sup } = daemon;
  const present = req.names.filter((n) => sup.get(n));
  const specs = present.map((n) => sup.get(n)!.spec);
  const wasLive = new Set(present.filter((n) => isLive(sup.get(n)!.phase)));
  const stopped: string[] = [];
  for (const level of stopLevels(present, specs)) {
    for (const n of level) sup.dispatch(n, { type: "forget" });
    await sup.until(() => level.every((n) => !sup.get(n)) || undefined);
    stopped.push(...level.filter((n) => wasLive.has(n)));
  }
  ctx.reply({ stopped, forgotten: present });
}
