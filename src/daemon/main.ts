/**
 * The daemon process: started detached by the CLI (`__daemon SESSION`), it
 * recovers from a crashed predecessor, listens on the session's socket,
 * serves requests through the supervisor, and exits once nothing is live
 * (after a short linger), or after stopping everything on SIGTERM/SIGINT/SIGHUP.
 */

import { prepareSessionDirs, sessionPaths } from "../paths.ts";
import { emptyState, loadState } from "./state_file.ts";
import { reapOrphans } from "./recover.ts";
import { Supervisor } from "./supervisor.ts";
import { type DaemonContext, handle, stopNames } from "./handlers.ts";
import { serve, type ServerStats } from "./server.ts";
import { toInfo } from "./info.ts";
import { isLive, policyRestarts } from "./lifecycle.ts";
import { stopOrder } from "./order.ts";
import { Stacks } from "./stacks.ts";
import { down, up } from "./up.ts";

/** How long the daemon lingers once idle before exiting (ms). */
export const LINGER_MS = 1500;

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
      // the log is best effort
    }
  };
}

/** Runs the daemon for `session` until it decides to exit; returns the exit code. */
export async function runDaemon(session: string): Promise<number> {
  const paths = sessionPaths(session);
  prepareSessionDirs(paths);
  const log = openLog(paths.daemonLog);
  log(`starting daemon for session ${session}`);
  const loaded = loadState(paths.stateFile);
  if (!loaded.ok) log(loaded.message);
  const reaped = await reapOrphans(
    loaded.ok ? loaded.state : emptyState(),
  );
  if (reaped.lost.length) {
    log(`recovered from a crashed daemon; stopped: ${reaped.lost.join(", ")}`);
  }
  const sup = new Supervisor(paths, reaped.state);
  for (const name of reaped.lost) sup.annotate(name, "Daemon died; process group stopped");

  try {
    Deno.removeSync(paths.socket);
  } catch {
    // no stale socket
  }
  const listener = Deno.listen({ transport: "unix", path: paths.socket });
  Deno.chmodSync(paths.socket, 0o600);
  Deno.writeTextFileSync(paths.pidFile, `${Deno.pid}\n`, { mode: 0o600 });
  sup.saveNow();

  const stats: ServerStats = { active: 0 };
  let exiting = false;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const stacks = new Stacks(sup, paths, log);

  // Save, stop listening and remove the socket in one synchronous step, so a
  // daemon started right after this one never has its socket or state clobbered.
  const finish = () => {
    if (exiting) return;
    exiting = true;
    clearTimeout(idleTimer);
    sup.saveNow(null);
    try {
      listener.close();
    } catch {
      // closed
    }
    for (const f of [paths.socket, paths.pidFile]) {
      try {
        Deno.removeSync(f);
      } catch {
        // already gone
      }
    }
  };
  const checkIdle = () => {
    clearTimeout(idleTimer);
    const busy = () => sup.hasLive() || stats.active > 0 || stacks.keepsAlive();
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
    for (const level of stopOrder(sup.list().filter((r) => isLive(r.phase)))) {
      await stopNames(sup, level);
    }
    finish();
  };
  for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    Deno.addSignalListener(sig, () => void shutdown());
  }

  const ctx: DaemonContext = {
    sup,
    paths,
    infos: () => sup.list().map((r) => ctx.info(r)),
    info: (r) => toInfo(r, sup.proxyPort, Date.now(), stacks.watchError(r.spec.name)),
    shutdown: () => void shutdown(),
    stack: async (req, c) => {
      if (req.type === "down") return await down(ctx, req, c);
      const url = await stacks.ensureProxy(req.proxy, req.proxyPort, c);
      if (url === false) return;
      return await up(ctx, req, c, url);
    },
    prepare: (spec, c) => stacks.prepare(spec, c),
  };
  sup.onChange(checkIdle);

  // Processes that were live when a previous daemon died come back if their policy says so.
  for (const name of reaped.lost) {
    const r = sup.get(name);
    if (r && policyRestarts(r.spec.autorestart, { code: null, signal: "SIGKILL" })) {
      sup.dispatch(name, { type: "restart", annotation: "Restarted (after daemon crash)" });
    }
  }
  checkIdle();
  await serve(listener, (req, c) => handle(ctx, req, c), stats, session, checkIdle);
  await stacks.close();
  sup.close();
  log("exited");
  return 0;
}
