/**
 * What request handlers, streams and `up`/`down` get from the daemon: the
 * supervisor (records, waits, status rows), the session's paths and services,
 * and the way to shut the session down. Built once in `main.ts`; this module
 * imports no handler, so nothing imports back from `handlers.ts`.
 */

import type { SessionPaths } from "../paths.ts";
import type { SessionServices } from "./services.ts";
import type { Supervisor } from "./supervisor.ts";

/** The daemon, as its request handlers see it. */
export interface DaemonContext {
  /** The single owner of process state. */
  readonly sup: Supervisor;
  /** The session's files (logs, state, socket). */
  readonly paths: SessionPaths;
  /** Spec preparation, proxy, watchers, readiness. */
  readonly services: SessionServices;
  /** Starts the session's shutdown (stop everything, then exit); returns at once. */
  shutdown(): void;
}
