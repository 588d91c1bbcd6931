/**
 * Request handlers of the daemon: each turns one request into supervisor
 * events and writes the request's one final reply (`ctx.reply` or
 * `ctx.fail`); services and waits return values. Handlers wait on supervisor
 * state (`sup.until`, never timers or sleeps) and never block other requests.
 */

import type { Request } from "../protocol.ts";
import { nameError } from "../paths.ts";
import type { ConnContext } from "./server.ts";
import type { DaemonContext } from "./context.ts";
import { isEndedForGood, isLive, isUp, type ProcRecord } from "./lifecycle.ts";
import { waitFor } from "./waits.ts";
import { followLogs, subscribe } from "./streams.ts";
import { generateName } from "./naming.ts";
import { down, up } from "./up.ts";
import { stopNames } from "./stopping.ts";
import { ensure } from "./ensure.ts";
import { send } from "./send.ts";

/** The request of type `T`. */
type RequestOf<T extends Request["type"]> = Extract<Request, { type: T }>;

/** Dispatches one request to its handler. */
export function handle(daemon: DaemonContext, req: Request, ctx: ConnContext): Promise<void> {
  switch (req.type) {
    case "ping":
      return reply(ctx, null);
    case "status":
      return status(daemon, req, ctx);
    case "run":
      return run(daemon, req, ctx);
    case "ensure":
      return ensure(daemon, req, ctx);
    case "stop":
      return stop(daemon, req.targets, ctx);
    case "stop_all":
      return stopAll(daemon, ctx);
    case "restart":
      return restart(daemon, req, ctx);
    case "wait":
      return wait(daemon, req, ctx);
    case "follow":
      return followLogs(daemon, req, ctx);
    case "subscribe":
      return subscribe(daemon, ctx);
    case "up":
      return startUp(daemon, req, ctx);
    case "down":
      return down(daemon, req, ctx);
    case "set_ttl":
      daemon.services.ttl.set(req.ms);
      ctx.reply(null);
      return Promise.resolve();
    case "send":
      return send(daemon, req, ctx);
    case "shutdown":
      ctx.reply(null);
      daemon.shutdown();
      return Promise.resolve();
  }
}

function reply(ctx: ConnContext<"ping">, data: null): Promise<void> {
  ctx.reply(data);
  return Promise.resolve();
}

async function status(daemon: DaemonContext, req: RequestOf<"status">, ctx: ConnContext<"status">) {
  ctx.reply(await daemon.services.usage.fill(daemon.sup.infos(), req.resources === true));
}

/** Resolves targets to records; fails the request with not_found (exit 2) when any is unknown. */
function resolveAll(
  daemon: DaemonContext,
  targets: string[],
  ctx: ConnContext,
): ProcRecord[] | null {
  const recs: ProcRecord[] = [];
  const missing: string[] = [];
  for (const t of targets) {
    const r = daemon.sup.resolve(t);
    if (r) recs.push(r);
    else missing.push(t);
  }
  if (missing.length === 0) return recs;
  ctx.fail("not_found", `no process named ${missing.join(", ")}`, []);
  return null;
}

async function run(daemon: DaemonContext, req: RequestOf<"run">, ctx: ConnContext<"run">) {
  const { sup } = daemon;
  const live = new Set(sup.list().filter((r) => isLive(r.phase)).map((r) => r.spec.name));
  const spec = req.spec.name === ""
    ? { ...req.spec, name: generateName(req.spec.cmd, live) }
    : req.spec;
  const bad = nameError("process", spec.name);
  if (bad) return ctx.fail("bad_request", bad);
  const conflict = () => {
    const old = sup.get(spec.name);
    if (!old || !isLive(old.phase)) return false;
    ctx.fail("conflict", `process ${spec.name} is already running (id ${old.id})`, [
      `stop it first, or use: agent-procs restart ${spec.name}`,
    ]);
    return true;
  };
  if (conflict()) return;
  const prepared = await daemon.services.prepare(spec);
  if (!prepared.ok) return ctx.fail(prepared.code, prepared.message);
  // Another run of the same name may have started while we prepared.
  if (conflict()) return;
  if (prepared.proxyUrl) {
    ctx.send({ type: "note", text: `Proxy listening on ${prepared.proxyUrl}` });
  }
  const rec = sup.start(prepared.spec);
  if (rec.spawnError !== null) return ctx.fail("failed", rec.spawnError);
  ctx.reply(sup.info(rec));
}

async function stop(daemon: DaemonContext, targets: string[], ctx: ConnContext<"stop">) {
  const recs = resolveAll(daemon, targets, ctx);
  if (!recs) return;
  const names = recs.map((r) => r.spec.name);
  await stopNames(daemon.sup, names);
  ctx.reply(names);
}

async function stopAll(daemon: DaemonContext, ctx: ConnContext<"stop_all">) {
  const names = daemon.sup.list().filter((r) => isLive(r.phase)).map((r) => r.spec.name);
  await stopNames(daemon.sup, names);
  ctx.reply(names);
}

async function restart(
  daemon: DaemonContext,
  req: RequestOf<"restart">,
  ctx: ConnContext<"restart">,
) {
  const { sup } = daemon;
  const recs = resolveAll(daemon, req.targets, ctx);
  if (!recs) return;
  const names = recs.map((r) => r.spec.name);
  const gens = new Map(recs.map((r) => [r.spec.name, r.generation]));
  for (const n of names) {
    const r = sup.get(n);
    if (!r) continue;
    if (!isLive(r.phase)) {
      const prepared = await daemon.services.prepare(r.spec);
      if (!prepared.ok) return ctx.fail(prepared.code, prepared.message);
      if (prepared.proxyUrl) {
        ctx.send({ type: "note", text: `Proxy listening on ${prepared.proxyUrl}` });
      }
      sup.dispatch(n, { type: "newSpec", spec: prepared.spec });
    } else if (r.spec.proxy) {
      const proxy = await daemon.services.ensureProxy(null);
      if (!proxy.ok) return ctx.fail("failed", proxy.message);
      ctx.send({ type: "note", text: `Proxy listening on ${proxy.url}` });
    }
    sup.dispatch(n, { type: "restart", annotation: "Restarted (manual)" });
  }
  const newer = (r: ProcRecord) => r.generation > (gens.get(r.spec.name) ?? 0);
  const settled = await sup.until(() =>
    names.every((n) => {
      const r = sup.get(n);
      return !r || isEndedForGood(r.phase) ||
        (newer(r) && (isUp(r.phase) || r.spawnError !== null));
    }) || undefined, { signal: ctx.signal });
  if (!settled.ok) return; // the client went away
  const recsNow = names.map((n) => sup.get(n)).filter((r) => r !== undefined);
  const failed = recsNow.filter((r) => newer(r) && r.spawnError !== null);
  if (failed.length === 1) return ctx.fail("failed", failed[0].spawnError ?? "");
  if (failed.length > 1) {
    return ctx.fail("failed", failed.map((r) => `${r.spec.name}: ${r.spawnError}`).join("; "));
  }
  ctx.reply(recsNow.map((r) => sup.info(r)));
}

async function wait(daemon: DaemonContext, req: RequestOf<"wait">, ctx: ConnContext<"wait">) {
  const rec = daemon.sup.resolve(req.target);
  if (!rec) return ctx.fail("not_found", `no process named ${req.target}`);
  const outcome = await waitFor(
    daemon.sup,
    daemon.paths,
    rec.spec.name,
    req.condition,
    req.timeoutMs,
    ctx.signal,
  );
  if (outcome.ok) return ctx.reply(outcome.result);
  if (!ctx.signal.aborted) ctx.fail(outcome.code, outcome.message, outcome.details, outcome.hint);
}

async function startUp(daemon: DaemonContext, req: RequestOf<"up">, ctx: ConnContext<"up">) {
  let url: string | null = null;
  if (req.proxy) {
    const proxy = await daemon.services.ensureProxy(req.proxyPort);
    if (!proxy.ok) return ctx.fail("failed", proxy.message);
    ctx.send({ type: "note", text: `Proxy listening on ${proxy.url}` });
    url = proxy.url;
  }
  await up(daemon, req, ctx, url);
}
