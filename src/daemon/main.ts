/**
 * The daemon process: started detached by the CLI (`__daemon SESSION`), it
 * recovers from a crashed predecessor, listens on the session's socket,
 * serves requests through the supervisor, and exits once nothing is live
 * (after a short linger), or after stopping everything on SIGTERM/SIGINT/SIGHUP.
 * Its stderr is /dev/null: what it has to say goes to the daemon log, and
 * lasting problems also to every client's hello (`Supervisor.warnings`).
 */

import { prepareSessionDirs, sessionPaths } from "../paths.ts";
import { messageOf } from "../errors.ts";
import { emptyState, loadState } from "./state_file.ts";
import { reapOrphans, reviveLost } from "./recover.ts";
import { Supervisor } from "./supervisor.ts";
import type { DaemonContext } from "./context.ts";
import { handle } from "./handlers.ts";
import { serve, type ServerStats } from "./server.ts";
import { stopAllInOrder } from "./stopping.ts";
import { SessionServices } from "./services.ts";
import { PortLeases } from "../ports/leases.ts";
import { formatTtl } from "./ttl.ts";
import { isLive } from "./lifecycle.ts";

/** How long the daemon lingers once idle before exiting (ms). */
export const LINGER_MS = 1500;

/** Opens the daemon log; a log that cannot be opened or written is dropped (there is nowhere else to say so). */
function openLog(path: string): (msg: string) => void {
  let file: Deno.FsFile | null = null;
  try {
    file = Deno.openSync(path, { append: true, create: true, mode: 0o600 });
  } catch {
    file = null;
  }
  const enc = new TextEncoder();
  return (msg: string) => {
    try {
      file?.writeSync(enc.encode(`${new Date().toISOString()} [${Deno.pid}] ${msg}\n`));
    } catch {
      // The daemon log itself failed (disk full): nowhere left to report it.
    }
  };
}

/** Removes a file that may already be gone. */
function removeIfThere(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** Runs the daemon for `session` until it decides to exit; returns the exit code. */
export async function runDaemon(session: string): Promise<number> {
  const paths = sessionPaths(session);
  prepareSessionDirs(paths);
  const log = openLog(paths.daemonLog);
  log(`starting daemon for session ${session}`);
  const loaded = loadState(paths.stateFile);
  if (!loaded.ok) log(loaded.message);
  const reaped = await reapOrphans(loaded.ok ? loaded.state : emptyState());
  if (reaped.lost.length) {
    log(`recovered from a crashed daemon; stopped: ${reaped.lost.join(", ")}`);
  }
  const sup = new Supervisor(paths, reaped.state, { log });

  removeIfThere(paths.socket);
  const listener = Deno.listen({ transport: "unix", path: paths.socket });
  Deno.chmodSync(paths.socket, 0o600);
  Deno.writeTextFileSync(paths.pidFile, `${Deno.pid}\n`, { mode: 0o600 });
  sup.saveNow();

  const stats: ServerStats = { active: 0 };
  let exiting = false;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const services = new SessionServices(sup, log, new PortLeases(paths.runtimeDir, session));

  // Save, stop listening and remove the socket in one synchronous step, so a
  // daemon started right after this one never has its socket or state clobbered
  // (closing the supervisor cancels any save still queued).
  const finish = () => {
    if (exiting) return;
    exiting = true;
    clearTimeout(idleTimer);
    services.ttl.close();
    sup.saveNow(null);
    sup.close();
    services.releaseLeases(log);
    listener.close();
    for (const f of [paths.socket, paths.pidFile]) {
      try {
        removeIfThere(f);
      } catch (e) {
        log(`cannot remove ${f}: ${messageOf(e)}`);
      }
    }
  };
  const checkIdle = () => {
    clearTimeout(idleTimer);
    const busy = () => sup.hasLive() || stats.active > 0 || services.keepsAlive();
    if (exiting || busy()) return;
    idleTimer = setTimeout(() => {
      if (!busy()) {
        log("idle: exiting");
        finish();
      }
    }, LINGER_MS);
  };
  let shuttingDown = false;
  const shutdown = async () => {
    if (shuttingDown) return;
    shuttingDown = true;
    log("shutdown: stopping all processes");
    await stopAllInOrder(sup);
    finish();
  };
  for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    Deno.addSignalListener(sig, () => void shutdown());
  }

  const daemon: DaemonContext = { sup, paths, services, shutdown: () => void shutdown() };
  // Idle TTL: annotate, stop everything and exit; an open stream (follow, ui) counts as busy.
  services.ttl.configure((ms) => {
    const text = `Session idle for ${formatTtl(ms)}: stopping`;
    log(text);
    for (const r of sup.list()) if (isLive(r.phase)) sup.annotate(r.spec.name, text);
    void shutdown();
  }, () => stats.active > 0);
  sup.onChange(checkIdle);

  // Processes that were live when a previous daemon died come back if their policy says so.
  reviveLost(sup, reaped.lost);
  checkIdle();
  await serve(listener, {
    handler: (req, ctx) => {
      services.ttl.touch();
      return handle(daemon, req, ctx);
    },
    stats,
    session,
    onConnChange: checkIdle,
    warnings: () => sup.warnings(),
    log,
  });
  await services.close();
  log("exited");
  return 0;
}
