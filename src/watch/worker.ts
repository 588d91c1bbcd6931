/**
 * Entry point of the watcher Worker, shared by every watcher of the daemon.
 * It starts and stops watch engines on request and posts their messages back,
 * tagged with the watcher's id; its loop does nothing else. Created by
 * `watcher.ts` as `new Worker(new URL("./worker.ts", import.meta.url).href,
 * { type: "module" })`; a compiled binary needs
 * `deno compile --include src/watch/worker.ts`.
 */

import { type Engine, startEngine } from "./engine.ts";
import { type FromWorker, parseToWorker } from "./types.ts";

/** The parts of the worker global scope this module uses. */
interface WorkerScope {
  onmessage: ((e: MessageEvent<unknown>) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = globalThis as unknown as WorkerScope;
const engines = new Map<number, Engine>();

scope.onmessage = (e) => {
  const msg = parseToWorker(e.data);
  if (msg === null) return;
  const { id } = msg;
  if (msg.kind === "stop") {
    engines.get(id)?.close();
    engines.delete(id);
    return;
  }
  if (engines.has(id)) return;
  try {
    engines.set(id, startEngine(msg.opts, (m) => scope.postMessage({ id, msg: m })));
  } catch (err) {
    scope.postMessage({ id, msg: { kind: "error", message: `file watcher failed: ${err}` } });
    scope.postMessage({ id, msg: { kind: "ready", dirs: 0 } });
  }
};
