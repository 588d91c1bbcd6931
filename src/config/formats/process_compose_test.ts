/** Unit tests of the process-compose importer, over `fixtures/process-compose.yaml`. */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parseForImport } from "./parse_yaml.ts";
import type { Draft } from "./draft.ts";
import { completedMarker } from "./process_compose_deps.ts";

const file = new URL("./fixtures/process-compose.yaml", import.meta.url).pathname;

async function draft(text?: string): Promise<Draft> {
  const r = await parseForImport(file, text ?? await Deno.readTextFile(file));
  if (!r.ok) throw new Error(r.error.message);
  return r.draft;
}

function fields(d: Draft, name: string): Record<string, unknown> {
  const p = d.processes.find((x) => x.name === name);
  return Object.fromEntries((p?.fields ?? []).map((f) => [f.key, f.value]));
}

Deno.test("process-compose: every mapped field", async () => {
  const d = await draft();
  assertEquals(d.processes.map((p) => p.name), ["migrate", "db", "api", "web"]);
  assertEquals(d.top, [{ key: "env", value: { GLOBAL: "1" }, line: 3 }]);
  assertEquals(fields(d, "db"), {
    cmd: "postgres -D data",
    ready: "ready to accept connections",
    stop_signal: "SIGINT",
    stop_timeout: "20s",
  });
  assertEquals(fields(d, "api"), {
    cmd: "./api",
    env: { DB: "postgres://localhost" },
    ready: { http: "http://127.0.0.1:8080/health" },
    ready_timeout: "62s",
    autorestart: "on-failure",
    restart_delay: "2s",
    max_restarts: 5,
    depends_on: ["migrate", "db"],
  });
  assertEquals(fields(d, "web"), {
    cmd: "npm run dev",
    ready: { cmd: "curl -sf localhost:3000" },
    depends_on: ["api"],
  });
});

Deno.test("process-compose: a dependency that must complete becomes a one-shot task", async () => {
  const m = fields(await draft(), "migrate");
  assertEquals(m.cwd, "./db");
  assertEquals(m.autorestart, "never");
  assertEquals(
    m.cmd,
    `(./migrate.sh) && echo "${completedMarker("migrate")}" && exec sleep 2147483647`,
  );
  assertEquals(m.ready, completedMarker("migrate"));
});

Deno.test("process-compose: one warning per unsupported key, with its line", async () => {
  const d = await draft();
  assertEquals(d.warnings.map((w) => `${w.line}: ${w.message.split(":")[0]}`), [
    "2: log_location",
    "32: processes.api.liveness_probe",
    "39: processes.api.availability.exit_on_end",
    "53: processes.web.replicas",
  ]);
  assertEquals(d.header.some((h) => h.includes("docs is disabled")), true);
});

Deno.test("process-compose: conditions that do not match the dependency's readiness warn", async () => {
  const d = await draft(
    "processes:\n  a:\n    command: x\n  b:\n    command: y\n    depends_on:\n      a:\n" +
      "        condition: process_healthy\n  c:\n    command: z\n    depends_on:\n" +
      "      d:\n        condition: process_started\n  d:\n    command: w\n    disabled: true\n",
  );
  assertEquals(d.warnings.map((w) => w.line), [7, 12]);
  assertEquals(fields(d, "b").depends_on, ["a"]);
  assertEquals(fields(d, "c").depends_on, undefined);
});
