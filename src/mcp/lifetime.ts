/**
 * `mcp --stop-on-exit`: the processes a server started (through `run` or
 * `up`), by session, so that when the client disconnects they (and their
 * later incarnations) are stopped, and nothing started otherwise is touched.
 */

import { opContext } from "../ops/context.ts";
import { fetchStatus } from "../ops/status.ts";
import { stop } from "../ops/stop.ts";
import { messageOf } from "../errors.ts";

/** Names started through this server, per session. */
export class StartedHere {
  readonly #bySession = new Map<string, Set<string>>();

  /** Notes that `name` was started in `session` through this server. */
  add(session: string, name: string): void {
    const set = this.#bySession.get(session) ?? new Set<string>();
    set.add(name);
    this.#bySession.set(session, set);
  }

  /** What was noted, per session (for tests and the exit report). */
  entries(): [string, string[]][] {
    return [...this.#bySession].map(([s, names]) => [s, [...names].sort()]);
  }

  /** Stops every noted process that is still live; reports problems to `warn`. */
  async stopAll(warn: (line: string) => void): Promise<void> {
    for (const [session, names] of this.entries()) {
      try {
        const ctx = opContext({ session });
        const live = (await fetchStatus(ctx)).filter((p) =>
          names.includes(p.name) && ["running", "stopping", "restarting"].includes(p.state)
        ).map((p) => p.name);
        if (live.length) await stop({ names: live }, ctx);
      } catch (e) {
        warn(`stop-on-exit: session ${session}: ${messageOf(e)}`);
      }
    }
  }
}
