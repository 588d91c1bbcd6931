/**
 * Request handlers of the daemon: each turns one request into supervisor
 * events and replies. Handlers wait on supervisor events (never on timers or
 * sleeps) and never block other requests.
 */

import type { ProcessInfo } from "../model.ts";
import type { ConnContext } from "./server.ts";
import type { Request } from "../protocol.ts";
import { nameError, type SessionPaths } from "../paths.ts";
import { isEndedForGood, isLive, type ProcRecord } from "./lifecycle.ts";
import type { Supervisor } from "./supervisor.ts";
import { lastLines, waitFor } from "./waits.ts";
import { followLogs, subscribe } from "./streams.ts";
import type { Prepared } from "./stacks.ts";
import { generateName } from "./naming.ts";

/** What handlers need from the daemon. */
export interface DaemonContext {
  sup: Supervisor;
  paths: SessionPaths;
  /** Status rows of every record. */
  infos(): ProcessInfo[];
  /** Row of one record. */
  info(rec: ProcRecord): ProcessInfo;
  /** Starts the session's shutdown (stop everything, then exit). */
  shutdown(): void;
  /** Handles the config-stack requests (`up`, `down`). */
  stack(req: Extract<Request, { type: "up" | "down" }>, ctx: ConnContext): Promise<void>;
  /** Validates and completes a spec before it starts (ports, proxy). */
  prepare(spec: ProcRecord["spec"], ctx: ConnContext | null): Promise<Prepared>;
}

/** Resolves targets to records; replies not_found (exit 2) when any is unknown. */
function resolveAll(d: DaemonContext, targets: string[], ctx: ConnContext): ProcRecord[] | null {
  const recs: ProcRecord[] = [];
  const missing: string[] = [];
  for (const t of targets) {
    const r = d.sup.resolve(t);
    if (r) recs.push(r);
    else missing.push(t);
  }
  if (missing.length) {
    ctx.send({
      type: "error",
      code: "not_found",
      message: `no process named ${missing.join(", ")}`,
      details: [],
    });
    return null;
  }
  return recs;
}

/** Resolves once none of `names` is live any more (or has been forgotten). */
export function untilSettled(
  sup: Supervisor,
  names: string[],
  settled: (r: ProcRecord | undefined) => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const check = () => names.every((n) => settled(sup.get(n)));
    if (check()) return resolve();
    const off = sup.onChange(() => {
      if (check()) {
        off();
        resolve();
      }
    });
  });
}

const notLive = (r: ProcRecord | undefined) => !r || !isLive(r.phase);

/** Stops `names` and resolves when they are no longer live. */
export async function stopNames(sup: Supervisor, names: string[]): Promise<void> {
  for (const n of names) sup.dispatch(n, { type: "stop" });
  await untilSettled(sup, names, notLive);
}

/** Dispatches one request. */
export async function handle(d: DaemonContext, req: Request, ctx: ConnContext): Promise<void> {
  const { sup } = d;
  switch (req.type) {
    case "ping":
      return ctx.send({ type: "ok", data: null });
    case "status":
      return ctx.send({ type: "ok", data: d.infos() });
    case "run": {
      const live = new Set(sup.list().filter((r) => isLive(r.phase)).map((r) => r.spec.name));
      const spec = req.spec.name === ""
        ? { ...req.spec, name: generateName(req.spec.cmd, live) }
        : req.spec;
      const bad = nameError("process", spec.name);
      if (bad) return ctx.send({ type: "error", code: "bad_request", message: bad });
      const conflict = () => {
        const old = sup.get(spec.name);
        if (!old || !isLive(old.phase)) return false;
        ctx.send({
          type: "error",
          code: "conflict",
          message: `process ${spec.name} is already running (id ${old.id})`,
          details: [`stop it first, or use: agent-procs restart ${spec.name}`],
        });
        return true;
      };
      if (conflict()) return;
      const prepared = await d.prepare(spec, ctx);
      if (!prepared.ok) {
        return ctx.send({ type: "error", code: "bad_request", message: prepared.message });
      }
      // Another run of the same name may have started while we prepared.
      if (conflict()) return;
      const rec = sup.start(prepared.spec);
      const now = sup.get(spec.name) ?? rec;
      if (now.phase.kind !== "running" && now.phase.kind !== "starting") {
        return ctx.send({
          type: "error",
          code: "failed",
          message: `${spec.name} failed to start`,
          details: lastLines(d.paths, spec.name, 10),
        });
      }
      return ctx.send({ type: "ok", data: d.info(now) });
    }
    case "stop": {
      const recs = resolveAll(d, req.targets, ctx);
      if (!recs) return;
      const names = recs.map((r) => r.spec.name);
      await stopNames(sup, names);
      return ctx.send({ type: "ok", data: names });
    }
    case "stop_all": {
      const names = sup.list().filter((r) => isLive(r.phase)).map((r) => r.spec.name);
      await stopNames(sup, names);
      return ctx.send({ type: "ok", data: names });
    }
    case "restart": {
      const recs = resolveAll(d, req.targets, ctx);
      if (!recs) return;
      const names = recs.map((r) => r.spec.name);
      const gens = new Map(recs.map((r) => [r.spec.name, r.generation]));
      for (const n of names) {
        const r = sup.get(n)!;
        if (!isLive(r.phase)) {
          const prepared = await d.prepare(r.spec, ctx);
          if (!prepared.ok) {
            return ctx.send({ type: "error", code: "bad_request", message: prepared.message });
          }
          sup.replaceSpec(prepared.spec);
        } else if (r.spec.proxy) {
          await d.prepare(r.spec, ctx);
        }
        sup.dispatch(n, { type: "restart", annotation: "Restarted (manual)" });
      }
      await untilSettled(sup, names, (r) =>
        !r || isEndedForGood(r.phase) ||
        (r.phase.kind === "running" && r.generation > (gens.get(r.spec.name) ?? 0)));
      return ctx.send({
        type: "ok",
        data: names.map((n) => sup.get(n)).filter((r) => !!r).map(d.info),
      });
    }
    case "wait": {
      const rec = sup.resolve(req.target);
      if (!rec) {
        return ctx.send({
          type: "error",
          code: "not_found",
          message: `no process named ${req.target}`,
        });
      }
      const o = await waitFor(
        sup,
        d.paths,
        rec.spec.name,
        req.condition,
        req.timeoutMs,
        ctx.signal,
      );
      if (o.ok) return ctx.send({ type: "ok", data: o.result });
      return ctx.send({ type: "error", code: o.code, message: o.message, details: o.details });
    }
    case "follow":
      return followLogs(d, req, ctx);
    case "subscribe":
      return subscribe(d, ctx);
    case "up":
    case "down":
      return d.stack(req, ctx);
    case "shutdown":
      ctx.send({ type: "ok", data: null });
      d.shutdown();
      return;
  }
}
