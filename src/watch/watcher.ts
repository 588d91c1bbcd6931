/**
 * The daemon-side file watcher: one per process with `watch` globs. Every
 * watcher runs in one shared Worker (`worker.ts`), so a busy daemon thread
 * never stalls the OS event queue or the debounce timers, and the daemon pays
 * for one extra isolate (~20 MiB) rather than one per process. The Worker
 * starts with the first watcher and ends when the last one closes. This module
 * imports no npm package; `picomatch` loads inside the Worker only.
 *
 * A compiled binary must bundle the worker: `deno compile --include src/watch/worker.ts`.
 */

import {
  DEFAULT_DEBOUNCE_MS,
  parseFromWorker,
  type ToWorker,
  type WatchEvent,
  type WatchOptions,
} from "./types.ts";

export { DEFAULT_DEBOUNCE_MS };
export type { WatchEvent, WatchOptions };

/** What `ready` resolves to: how many directories were handed to the OS (0 when none). */
export interface WatchReady {
  dirs: number;
}

/** A running watcher. */
export interface Watcher {
  /** Resolves once the initial watch is set up or has failed (errors are reported first). */
  readonly ready: Promise<WatchReady>;
  /** Stops this watcher's OS watches; no event is delivered afterwards. Idempotent. */
  close(): void;
}

interface Subscriber {
  onEvent(e: WatchEvent): void;
  ready(r: WatchReady): void;
}

interface Hub {
  worker: Worker;
  subs: Map<number, Subscriber>;
}

let hub: Hub | null = null;
let nextId = 1;

function openHub(): Hub {
  if (hub !== null) return hub;
  const worker = new Worker(new URL("./worker.ts", import.meta.url).href, { type: "module" });
  const h: Hub = { worker, subs: new Map() };
  worker.onmessage = (e: MessageEvent<unknown>) => {
    const m = parseFromWorker(e.data);
    const sub = m === null ? undefined : h.subs.get(m.id);
    if (m === null || sub === undefined) return;
    if (m.msg.kind === "ready") sub.ready({ dirs: m.msg.dirs });
    else sub.onEvent(m.msg);
  };
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault(); // a watcher failure must not take the daemon down
    worker.terminate();
    if (hub === h) hub = null;
    const subs = [...h.subs.values()];
    h.subs.clear();
    for (const sub of subs) {
      sub.onEvent({ kind: "error", message: `file watcher failed: ${e.message}` });
      sub.ready({ dirs: 0 });
    }
  };
  hub = h;
  return h;
}

/**
 * Starts watching `opts.globs` under `opts.cwd` and calls `onEvent` with one
 * `changed` per burst or an `error` (bad glob, missing base directory, OS
 * watch limit, watcher failure). Never throws for those: the caller keeps its
 * process running and shows the error.
 */
export function startWatcher(opts: WatchOptions, onEvent: (e: WatchEvent) => void): Watcher {
  const id = nextId++;
  let closed = false;
  let resolveReady: (r: WatchReady) => void = () => {};
  const ready = new Promise<WatchReady>((r) => resolveReady = r);
  const h = openHub();
  h.subs.set(id, {
    onEvent: (e) => {
      if (!closed) onEvent(e);
    },
    ready: (r) => resolveReady(r),
  });
  const start: ToWorker = {
    kind: "start",
    id,
    opts: {
      cwd: opts.cwd,
      globs: [...opts.globs],
      ignore: [...opts.ignore],
      debounceMs: opts.debounceMs ?? DEFAULT_DEBOUNCE_MS,
      sinceMs: opts.sinceMs ?? 0,
    },
  };
  h.worker.postMessage(start);

  return {
    ready,
    close() {
      if (closed) return;
      closed = true;
      resolveReady({ dirs: 0 });
      if (!h.subs.delete(id)) return; // the worker already failed
      if (h.subs.size === 0) {
        h.worker.terminate();
        if (hub === h) hub = null;
      } else {
        const stop: ToWorker = { kind: "stop", id };
        h.worker.postMessage(stop);
      }
    },
  };
}

/** How many watchers share the worker now (for status and tests). */
export function activeWatchers(): number {
  return hub?.subs.size ?? 0;
}
