/**
 * The client against a daemon that goes away while our connection waits:
 * a listener that accepts one connection and closes it (and itself) without
 * reading or greeting, as a daemon's idle exit does to a connection still in
 * its backlog. The request was never read, so the client asks again and
 * finds no daemon, instead of failing with "Connection reset by peer".
 */

import { ok, rejects } from "node:assert/strict";
import { NoDaemon, request } from "./connect.ts";
import { sessionPaths } from "../paths.ts";

Deno.test("request: a daemon that closes before greeting is asked again (then: no daemon)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-conn-" });
  const paths = sessionPaths("t", { stateRoot: dir, runtimeRoot: dir });
  await Deno.mkdir(paths.runtimeDir, { recursive: true });
  const listener = Deno.listen({ transport: "unix", path: paths.socket });
  let accepted = 0;
  const server = (async () => {
    const conn = await listener.accept();
    accepted++;
    listener.close();
    conn.close();
  })();
  try {
    await rejects(
      request(paths, { type: "status" }, { autostart: false, timeoutMs: 5000 }),
      (e) => e instanceof NoDaemon,
    );
    await server;
    ok(accepted === 1, `accepted ${accepted}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
