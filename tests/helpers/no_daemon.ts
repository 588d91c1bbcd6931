/**
 * "No daemon started": runs a test step while watching the session's runtime
 * dir and daemon log, so a daemon that started and idled out during the step
 * is still caught (not only "none runs at the end").
 */

import { deepEqual, equal } from "node:assert/strict";
import type { TestEnv } from "./harness.ts";

/**
 * Runs `body` and fails unless no daemon of `env`'s session started during it:
 * the runtime dir is watched for the session's pid file or socket being
 * created (a daemon that starts and idles out still creates both), and the
 * session's daemon log must not have grown (every daemon logs its start).
 */
export async function expectNoDaemonDuring<T>(env: TestEnv, body: () => Promise<T>): Promise<T> {
  const runDir = `${env.home}/run`;
  await Deno.mkdir(runDir, { recursive: true, mode: 0o700 });
  const logFile = `${env.stateDir}/daemon.log`;
  const logSize = () => {
    try {
      return Deno.statSync(logFile).size;
    } catch {
      return 0;
    }
  };
  const sizeBefore = logSize();
  equal(env.daemonPid(), null, "a daemon was already running before the call");
  const watcher = Deno.watchFs(runDir, { recursive: false });
  const created: string[] = [];
  const mine = [`${env.session}.pid`, `${env.session}.sock`];
  const watching = (async () => {
    for await (const e of watcher) {
      for (const p of e.paths) if (mine.some((m) => p.endsWith(`/${m}`))) created.push(p);
    }
  })();
  let result: T;
  try {
    result = await body();
  } finally {
    watcher.close();
    await watching;
  }
  const grew = logSize() - sizeBefore;
  deepEqual(created, [], "a daemon's pid file or socket appeared during the call");
  equal(grew, 0, `the daemon log grew by ${grew} bytes during the call`);
  equal(env.daemonPid(), null, "a daemon runs after the call");
  return result;
}
