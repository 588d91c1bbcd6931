/**
 * File watchers of a session: one per process with `watch` globs, started at
 * its first spawn and kept across restarts (a change must be able to revive a
 * `failed` or `exited` process), replaced when the watch settings change and
 * closed when the record is forgotten. Changes become `fileChanged` events for
 * the supervisor; watcher errors go to the process log and, through the
 * supervisor, to `status`.
 */

import { startWatcher, type Watcher } from "../watch/watcher.ts";
import { canRevive, type ProcRecord } from "./lifecycle.ts";
import type { Supervisor } from "./supervisor.ts";

interface Entry {
  key: string;
  watcher: Watcher;
}

function keyOf(rec: ProcRecord): string {
  return JSON.stringify([rec.spec.cwd, rec.spec.watch, rec.spec.watchIgnore]);
}

/** The watchers of one daemon. */
export class Watching {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly sup: Supervisor) {}

  /** Makes sure a process's watcher matches its spec (call after each spawn). */
  ensure(rec: ProcRecord): void {
    const name = rec.spec.name;
    const cur = this.#entries.get(name);
    if (rec.spec.watch.length === 0) {
      if (cur) this.remove(name);
      return;
    }
    const key = keyOf(rec);
    if (cur?.key === key) return;
    if (cur) this.remove(name);
    const entry: Entry = {
      key,
      watcher: startWatcher(
        {
          cwd: rec.spec.cwd,
          globs: rec.spec.watch,
          ignore: rec.spec.watchIgnore,
          sinceMs: Date.now(),
        },
        (ev) => {
          if (this.#entries.get(name) !== entry) return;
          if (ev.kind === "changed") {
            this.sup.dispatch(name, { type: "fileChanged", path: ev.path });
          } else {
            this.sup.annotate(name, `Watch error: ${ev.message}`);
            this.sup.setWatchError(name, ev.message);
          }
        },
      ),
    };
    this.#entries.set(name, entry);
  }

  /** Closes a process's watcher (and forgets its problem). */
  remove(name: string): void {
    const e = this.#entries.get(name);
    if (!e) return;
    e.watcher.close();
    this.#entries.delete(name);
  }

  /** True when some watcher could still bring a process back (not stopped by the user). */
  canRevive(): boolean {
    for (const name of this.#entries.keys()) {
      const r = this.sup.get(name);
      if (r && canRevive(r.phase)) return true;
    }
    return false;
  }

  /** Closes every watcher. */
  closeAll(): void {
    for (const name of [...this.#entries.keys()]) this.remove(name);
  }
}
