/** A small stack for the exporters' unit tests (not a test file itself). */

import { defaultSpec } from "../../../model.ts";
import { exportModel, type ExportStack } from "./model.ts";

/** db (log-line ready, port, SIGINT, image) <- api (http probe, on-failure x3, cwd api) <- worker (cmd probe, watch, stdin pipe). */
export function testStack(): ExportStack {
  const dir = "/srv/shop";
  const db = defaultSpec({ name: "db", cmd: 'echo "up $PORT"', cwd: dir }, {
    port: 5432,
    ready: { kind: "log", pattern: "up", regex: false },
    stopSignal: "SIGINT",
  });
  const api = defaultSpec({ name: "api", cmd: "node s.js $(date) 50%", cwd: `${dir}/api` }, {
    port: 8080,
    userEnv: { A: "no" },
    ready: { kind: "http", url: "http://127.0.0.1:8080/health?x=1" },
    dependsOn: ["db"],
    autorestart: "on-failure",
    maxRestarts: 3,
    stopTimeoutMs: 20_000,
  });
  const worker = defaultSpec({ name: "worker", cmd: "./work", cwd: dir }, {
    ready: { kind: "cmd", cmd: "test -f ok" },
    dependsOn: ["api"],
    autorestart: "always",
    watch: ["src/**"],
    stdin: "pipe",
  });
  return exportModel({
    path: `${dir}/agent-procs.yaml`,
    dir,
    session: "shop",
    proxy: false,
    proxyPort: null,
    processes: [db, api, worker],
    userEnv: { db: {}, api: { A: "no" }, worker: {} },
    images: { db: "postgres:16" },
  });
}
