/** Records a fatal daemon start/run failure in the daemon log, so the CLI can show it (not to be confused with `recover.ts`, which cleans up after a daemon that died). */

import { sessionPaths } from "../paths.ts";

/** Appends the error to the session's daemon log (best effort). */
export function reportDaemonCrash(session: string, e: unknown): void {
  const text = e instanceof Error ? e.stack ?? e.message : String(e);
  try {
    const p = sessionPaths(session);
    Deno.mkdirSync(p.stateDir, { recursive: true, mode: 0o700 });
    Deno.writeTextFileSync(
      p.daemonLog,
      `${new Date().toISOString()} [${Deno.pid}] fatal: ${text}\n`,
      {
        append: true,
        mode: 0o600,
      },
    );
  } catch {
    // nowhere to report
  }
}
