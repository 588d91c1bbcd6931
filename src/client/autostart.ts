/**
 * Starting the daemon on demand. Many CLI calls may race to start it: they
 * serialize on an exclusive file lock, re-check for a running daemon inside
 * the lock, and only then spawn one, detached, by re-invoking this program.
 * The start is complete when the socket accepts a connection; if the daemon
 * dies first, the error carries the last lines of its log.
 */

import { CliError } from "../errors.ts";
import { prepareSessionDirs, type SessionPaths } from "../paths.ts";
import { currentFacts, daemonV8Env, selfCommand } from "./self.ts";

/** How long a CLI waits for the lock and for the daemon to answer (ms). */
const START_TIMEOUT_MS = 10_000;

async function connect(socket: string): Promise<Deno.UnixConn | null> {
  try {
    return await Deno.connect({ transport: "unix", path: socket });
  } catch {
    return null;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Last lines of the daemon's log (for start errors). */
export function daemonLogTail(paths: SessionPaths, n = 10): string[] {
  try {
    const lines = Deno.readTextFileSync(paths.daemonLog).trimEnd().split("\n");
    return lines.slice(-n);
  } catch {
    return [];
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let id: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    id = setTimeout(() => reject(new CliError(message)), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(id);
  }
}

/** Returns a connection to the session's daemon, starting the daemon if none answers. */
export async function ensureDaemon(paths: SessionPaths): Promise<Deno.UnixConn> {
  prepareSessionDirs(paths);
  const lock = await Deno.open(paths.startLock, { create: true, write: true, mode: 0o600 });
  try {
    await withTimeout(
      lock.lock(true),
      START_TIMEOUT_MS,
      "timed out waiting for another agent-procs call to start the daemon",
    );
    const existing = await connect(paths.socket);
    if (existing) return existing;
    const { cmd, args } = selfCommand(currentFacts(), ["__daemon", paths.session]);
    const child = new Deno.Command(cmd, {
      args,
      cwd: "/",
      env: daemonV8Env(Deno.env.get("DENO_V8_FLAGS")),
      detached: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    let exited: Deno.CommandStatus | null = null;
    child.status.then((s) => exited = s);
    child.unref();
    const deadline = Date.now() + START_TIMEOUT_MS;
    let pause = 2;
    while (Date.now() < deadline) {
      const conn = await connect(paths.socket);
      if (conn) return conn;
      if (exited) break;
      await delay(pause);
      pause = Math.min(pause * 2, 50);
    }
    const status = exited as Deno.CommandStatus | null;
    throw new CliError(
      status
        ? `the daemon exited during start (code ${status.code})`
        : "the daemon did not start in time",
      { details: daemonLogTail(paths), hint: `daemon log: ${paths.daemonLog}` },
    );
  } finally {
    try {
      lock.unlockSync();
    } catch {
      // not locked
    }
    lock.close();
  }
}
