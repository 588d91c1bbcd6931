/**
 * Kubernetes export (pure): a Deployment and a Service per process, typed
 * with the `kubernetes-types` package (types only, erased at run time). The
 * container runs the command with `sh -c` in the process's `image:` (or
 * `--image`); http/tcp/cmd readiness checks become readiness probes; env,
 * ports and the stop grace period map directly. What Kubernetes cannot
 * express (start order, a log-line check, watch, a stop signal other than
 * SIGTERM, a restart policy other than always) is a comment and a warning.
 */

import type { Deployment } from "kubernetes-types/apps/v1.d.ts";
import type { Probe, Service } from "kubernetes-types/core/v1.d.ts";
import type { ExportOutput, ExportProcess, ExportStack, YamlDoc } from "./model.ts";
import { commonNotes, Notes, secs } from "./model.ts";

/** Where the project is inside the containers (workingDir is relative to it). */
export const K8S_APP_DIR = "/app";

/** Every process without an image (the export needs one each). */
export function missingImages(s: ExportStack, image?: string): string[] {
  return image ? [] : s.processes.filter((p) => !p.image).map((p) => p.name);
}

/** `$(VAR)` is Kubernetes' own expansion: keep the shell's `$(...)` literal. */
function esc(s: string): string {
  return s.replaceAll("$(", () => "$$(");
}

function probe(p: ExportProcess): Probe | undefined {
  const r = p.ready;
  if (!r || r.kind === "log" || r.kind === "listen") return undefined;
  const period = 2;
  const timing = {
    periodSeconds: period,
    failureThreshold: Math.max(1, Math.ceil(p.readyTimeoutMs / 1000 / period)),
  };
  if (r.kind === "cmd") return { exec: { command: ["sh", "-c", esc(r.cmd)] }, ...timing };
  if (r.kind === "tcp") return { tcpSocket: { port: r.port }, ...timing };
  const url = new URL(r.url);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const local = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  return {
    httpGet: {
      path: `${url.pathname}${url.search}`,
      port,
      scheme: url.protocol === "https:" ? "HTTPS" : "HTTP",
      ...(local ? {} : { host: url.hostname }),
    },
    ...timing,
  };
}

function deployment(p: ExportProcess, stack: string, image: string): Deployment {
  const labels = { "app.kubernetes.io/name": p.name, "app.kubernetes.io/part-of": stack };
  const env: Record<string, string> = {};
  if (p.port !== null) Object.assign(env, { PORT: String(p.port), HOST: "0.0.0.0" });
  Object.assign(env, p.env);
  const readinessProbe = probe(p);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: p.name,
      labels,
      ...(p.dependsOn.length
        ? { annotations: { "agent-procs/depends-on": p.dependsOn.join(",") } }
        : {}),
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": p.name } },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: secs(p.stopTimeoutMs),
          containers: [{
            name: p.name,
            image,
            command: ["sh", "-c", esc(p.cmd)],
            ...(p.relCwd ? { workingDir: `${K8S_APP_DIR}/${p.relCwd}` } : {}),
            env: Object.entries(env).map(([name, value]) => ({ name, value: esc(value) })),
            ...(p.port !== null ? { ports: [{ name: "app", containerPort: p.port }] } : {}),
            ...(readinessProbe ? { readinessProbe } : {}),
            ...(p.stdin === "pipe" ? { stdin: true } : {}),
          }],
        },
      },
    },
  };
}

function service(p: ExportProcess, stack: string): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: p.name,
      labels: { "app.kubernetes.io/name": p.name, "app.kubernetes.io/part-of": stack },
    },
    spec: p.port === null
      ? { clusterIP: "None", selector: { "app.kubernetes.io/name": p.name } }
      : {
        selector: { "app.kubernetes.io/name": p.name },
        ports: [{ name: "app", port: p.port, targetPort: p.port }],
      },
  };
}

/** Builds `kubernetes.yaml` (Deployment + Service per process); every process needs an image. */
export function exportKubernetes(s: ExportStack, image?: string): ExportOutput {
  const notes = new Notes();
  const docs: YamlDoc[] = [];
  for (const p of s.processes) {
    if (p.dependsOn.length) {
      notes.add(
        p.name,
        `depends_on (${
          p.dependsOn.join(", ")
        }): Kubernetes has no start order (kept as an annotation)`,
      );
    }
    if (p.autorestart !== "always") {
      notes.add(p.name, `autorestart ${p.autorestart}: a Deployment always restarts its pod`);
    }
    if (p.stopSignal !== "SIGTERM") {
      notes.add(p.name, `stop_signal ${p.stopSignal}: Kubernetes sends SIGTERM`);
    }
    if (p.port === null) notes.add(p.name, "no port: its Service is headless (clusterIP: None)");
    commonNotes(p, notes, "Kubernetes");
    const header = [`${p.name}: exported by agent-procs from ${s.name}.`, ...notes.of(p.name)];
    docs.push({ value: deployment(p, s.name, p.image ?? image ?? ""), header, notes: [] });
    docs.push({ value: service(p, s.name), header: [], notes: [] });
  }
  if (s.proxy) notes.warnings.push("proxy: the agent-procs proxy is not exported (use an Ingress)");
  return { files: [{ name: "kubernetes.yaml", kind: "yaml", docs }], warnings: notes.warnings };
}
