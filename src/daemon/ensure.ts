/**
 * `run --ensure` inside the daemon: leave a running process alone when it
 * was started with the same command, cwd, explicit env, port, proxy and browser_logs
 * setting (`kept`); stop it and start the new spec when any of them changed
 * (`restarted`); start it when it is not running (`started`). The comparison
 * is pure (`sameRunSpec`).
 */

import type { ProcessSpec } from "../model.ts";
import type { EnsureOutcome, Request } from "../protocol.ts";
import { nameError } from "../paths.ts";
import type { ConnContext } from "./server.ts";
import type { DaemonContext } from "./context.ts";
import { isLive } from "./lifecycle.ts";
import { stopNames } from "./stopping.ts";

function sameEnv(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/**
 * True when a running spec matches the wanted one for `--ensure`: command,
 * cwd, explicit env and proxy alike, and the port alike unless the wanted
 * spec leaves it out (then the one given before is fine). The inherited
 * environment does not count. Pure.
 */
export function sameRunSpec(running: ProcessSpec, wanted: ProcessSpec): boolean {
  return running.cmd === wanted.cmd && running.cwd === wanted.cwd &&
    running.proxy === wanted.proxy && running.browserLogs === wanted.browserLogs &&
    sameEnv(running.userEnv, wanted.userEnv) &&
    (wanted.port === null || wanted.port === running.port);
}

/** Handles an `ensure` request. */
export async function ensure(
  daemon: DaemonContext,
  req: Extract<Request, { type: "ensure" }>,
  ctx: ConnContext<"ensure">,
): Promise<void> {
  const { sup } = daemon;
  const spec = req.spec;
  const bad = nameError("process", spec.name);
  if (bad) return ctx.fail("bad_request", bad);
  const old = sup.get(spec.name);
  let outcome: EnsureOutcome = "started";
  if (old && isLive(old.phase)) {
    if (sameRunSpec(old.spec, spec)) {
      return ctx.reply({ outcome: "kept", process: sup.info(old) });
    }
    outcome = "restarted";
    await stopNames(sup, [spec.name]);
  }
  // Keep the port the name had when the new spec leaves it to us.
  const prepared = await daemon.services.prepare(spec);
  if (!prepared.ok) return ctx.fail(prepared.code, prepared.message);
  const now = sup.get(spec.name);
  if (now && isLive(now.phase)) {
    return ctx.fail("conflict", `process ${spec.name} was started meanwhile (id ${now.id})`);
  }
  if (prepared.proxyUrl) {
    ctx.send({ type: "note", text: `Proxy listening on ${prepared.proxyUrl}` });
  }
  const rec = sup.start(prepared.spec);
  if (rec.spawnError !== null) return ctx.fail("failed", rec.spawnError);
  if (outcome === "restarted") sup.annotate(spec.name, "Restarted with a new spec (--ensure)");
  ctx.reply({ outcome, process: sup.info(rec) });
}
