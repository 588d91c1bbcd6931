/**
 * Docker Compose export (pure): one service per process with its command
 * (`sh -c`), working_dir, environment, ports, restart policy, stop signal
 * and grace period; an http/tcp/cmd readiness check becomes the service's
 * healthcheck, and `depends_on` waits for `service_healthy` where the
 * dependency has one (else `service_started`). The types are small and
 * written here: there is no well-kept npm package of Compose types.
 */

import type { ExportOutput, ExportProcess, ExportStack, YamlNote } from "./model.ts";
import { commonNotes, Notes, probeShell, relativePath, secs } from "./model.ts";

/** A Compose healthcheck. */
export interface ComposeHealthcheck {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  start_period?: string;
}

/** The service fields the export writes. */
export interface ComposeService {
  image?: string;
  build?: string;
  command: string[];
  working_dir?: string;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: "service_started" | "service_healthy" }>;
  healthcheck?: ComposeHealthcheck;
  restart: string;
  stop_signal?: string;
  stop_grace_period: string;
  /** Keeps stdin open (`stdin: pipe`; answer with `docker attach`). */
  stdin_open?: boolean;
}

/** A Compose file (no `version:` or `name:`, which docker-compose v1 rejects). */
export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** Where the project is inside the containers (working_dir is relative to it). */
export const COMPOSE_APP_DIR = "/app";

/** `$` is Compose's interpolation: a literal dollar is `$$`. */
function esc(s: string): string {
  return s.replaceAll("$", "$$$$");
}

function restart(p: ExportProcess): string {
  if (p.autorestart === "always") return "always";
  if (p.autorestart === "never") return "no";
  return p.maxRestarts === null ? "on-failure" : `on-failure:${p.maxRestarts}`;
}

function healthcheck(p: ExportProcess): ComposeHealthcheck | undefined {
  const test = p.ready ? probeShell(p.ready) : null;
  if (test === null) return undefined;
  return {
    test: ["CMD-SHELL", esc(test)],
    interval: "2s",
    timeout: "2s",
    retries: Math.max(1, Math.ceil(p.readyTimeoutMs / 2000)),
  };
}

function service(
  p: ExportProcess,
  all: ExportProcess[],
  notes: Notes,
  outDir: string,
  image?: string,
): ComposeService {
  const env: Record<string, string> = {};
  if (p.port !== null) Object.assign(env, { PORT: String(p.port), HOST: "0.0.0.0" });
  Object.assign(env, p.env);
  const hc = healthcheck(p);
  const deps: ComposeService["depends_on"] = {};
  for (const d of p.dependsOn) {
    const dep = all.find((x) => x.name === d);
    deps[d] = { condition: dep && healthcheck(dep) ? "service_healthy" : "service_started" };
  }
  const img = p.image ?? image;
  if (!img) notes.add(p.name, "no image: built from its directory (build:); set image: or --image");
  if (p.autorestart !== "never" && p.restartDelayMs !== 1000) {
    notes.add(p.name, `restart_delay (${p.restartDelayMs} ms): Compose has its own back-off`);
  }
  if (p.autorestart === "always" && p.maxRestarts !== null) {
    notes.add(
      p.name,
      `max_restarts (${p.maxRestarts}) with always: Compose limits only on-failure`,
    );
  }
  commonNotes(p, notes, "Compose");
  return {
    ...(img ? { image: img } : { build: relativePath(outDir, p.cwd) }),
    command: ["sh", "-c", esc(p.cmd)],
    ...(p.relCwd ? { working_dir: `${COMPOSE_APP_DIR}/${p.relCwd}` } : {}),
    ...(Object.keys(env).length
      ? { environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, esc(v)])) }
      : {}),
    ...(p.port !== null ? { ports: [`${p.port}:${p.port}`] } : {}),
    ...(p.dependsOn.length ? { depends_on: deps } : {}),
    ...(hc ? { healthcheck: hc } : {}),
    restart: restart(p),
    ...(p.stopSignal !== "SIGTERM" ? { stop_signal: p.stopSignal } : {}),
    stop_grace_period: `${secs(p.stopTimeoutMs)}s`,
    ...(p.stdin === "pipe" ? { stdin_open: true } : {}),
  };
}

/**
 * Builds `compose.yaml` for a stack, to be written into `outDir` (a build
 * context is relative to it); `image` is the default for processes without one.
 */
export function exportCompose(s: ExportStack, outDir: string, image?: string): ExportOutput {
  const notes = new Notes();
  const file: ComposeFile = { services: {} };
  for (const p of s.processes) {
    file.services[p.name] = service(p, s.processes, notes, outDir, image);
  }
  if (s.proxy) {
    notes.warnings.push(
      "proxy: the agent-procs proxy is not exported; ports are published instead",
    );
  }
  const yamlNotes: YamlNote[] = s.processes
    .filter((p) => notes.of(p.name).length)
    .map((p) => ({ path: ["services", p.name], lines: notes.of(p.name) }));
  const header = [
    `Docker Compose file exported by agent-procs from ${s.name}.`,
    `Commands run with sh -c in the image; working_dir assumes the project at ${COMPOSE_APP_DIR};`,
    "a process with a port listens on HOST=0.0.0.0 (reachable from other containers).",
  ];
  return {
    files: [{
      name: "compose.yaml",
      kind: "yaml",
      docs: [{ value: file, header, notes: yamlNotes }],
    }],
    warnings: notes.warnings,
  };
}
