/** Unit tests of the exporters (pure): Compose, Kubernetes and systemd from one small stack. */

import { deepStrictEqual as assertEquals, equal, ok } from "node:assert/strict";
import { testStack } from "./test_stack.ts";
import { exportCompose } from "./compose.ts";
import { exportKubernetes, missingImages } from "./kubernetes.ts";
import { exportSystemd, quote } from "./systemd.ts";
import { relativePath } from "./model.ts";
import type { ExportFile } from "./model.ts";

function yamlValue(f: ExportFile, i = 0): Record<string, unknown> {
  if (f.kind !== "yaml") throw new Error("not yaml");
  return f.docs[i].value as Record<string, unknown>;
}

Deno.test("compose: services with healthchecks, conditions, restart, escaping", () => {
  const out = exportCompose(testStack(), "/srv/shop/deploy");
  const { services } = yamlValue(out.files[0]) as {
    services: Record<string, Record<string, unknown>>;
  };
  assertEquals(services.db.image, "postgres:16");
  equal(services.api.build, "../api");
  assertEquals(services.api.command, ["sh", "-c", "node s.js $$(date) 50%"]);
  assertEquals(services.api.depends_on, { db: { condition: "service_started" } });
  assertEquals(services.worker.depends_on, { api: { condition: "service_healthy" } });
  assertEquals((services.api.healthcheck as { test: string[] }).test, [
    "CMD-SHELL",
    "curl -fsS -o /dev/null 'http://127.0.0.1:8080/health?x=1'",
  ]);
  assertEquals([services.api.restart, services.worker.restart, services.db.restart], [
    "on-failure:3",
    "always",
    "no",
  ]);
  assertEquals(services.api.environment, { PORT: "8080", HOST: "0.0.0.0", A: "no" });
  equal(services.db.stop_signal, "SIGINT");
  equal(services.api.stop_grace_period, "20s");
  ok(out.warnings.includes('db: readiness is a log line ("up"), which Compose cannot check'));
  ok(out.warnings.includes("worker: watch (src/**): Compose does not restart on file changes"));
  equal(services.worker.stdin_open, true);
  equal(services.db.stdin_open, undefined);
});

Deno.test("kubernetes: a Deployment and a Service per process, probes, images required", () => {
  const s = testStack();
  assertEquals(missingImages(s), ["api", "worker"]);
  assertEquals(missingImages(s, "node:22"), []);
  const out = exportKubernetes(s, "node:22");
  const f = out.files[0];
  if (f.kind !== "yaml") throw new Error("not yaml");
  assertEquals(f.docs.map((d) => (d.value as { kind: string }).kind), [
    "Deployment",
    "Service",
    "Deployment",
    "Service",
    "Deployment",
    "Service",
  ]);
  // deno-lint-ignore no-explicit-any -- reading the typed objects back in a test
  const api = f.docs[2].value as any;
  const c = api.spec.template.spec.containers[0];
  assertEquals(c.readinessProbe.httpGet, { path: "/health?x=1", port: 8080, scheme: "HTTP" });
  assertEquals(c.command, ["sh", "-c", "node s.js $$(date) 50%"]);
  equal(c.workingDir, "/app/api");
  equal(api.spec.template.spec.terminationGracePeriodSeconds, 20);
  ok(f.docs[0].header.some((h) => h.includes("readiness is a log line")));
  // deno-lint-ignore no-explicit-any -- reading the typed objects back in a test
  equal((f.docs[5].value as any).spec.clusterIP, "None");
  // deno-lint-ignore no-explicit-any -- reading the typed objects back in a test
  equal((f.docs[4].value as any).spec.template.spec.containers[0].stdin, true);
  equal(c.stdin, undefined);
});

Deno.test("systemd: units with order, restart, kill settings and a readiness loop", () => {
  const out = exportSystemd(testStack());
  assertEquals(out.files.map((f) => f.name), [
    "shop-db.service",
    "shop-api.service",
    "shop-worker.service",
    "shop.target",
  ]);
  const api = out.files[1].kind === "text" ? out.files[1].text : "";
  for (
    const l of [
      "After=shop-db.service",
      "Requires=shop-db.service",
      "StartLimitBurst=4",
      "WorkingDirectory=/srv/shop/api",
      'ExecStart=/bin/sh -c "node s.js $$(date) 50%%"',
      "ExecStartPost=/bin/sh -c \"until curl -fsS -o /dev/null 'http://127.0.0.1:8080/health?x=1'; do sleep 1; done\"",
      "Restart=on-failure",
      "KillMode=control-group",
      "TimeoutStopSec=20",
    ]
  ) ok(api.includes(`\n${l}\n`), l);
  const db = out.files[0].kind === "text" ? out.files[0].text : "";
  ok(db.includes("KillSignal=SIGINT\n") && db.includes("Restart=no\n"));
  ok(db.includes("# not exported: readiness is a log line"));
  ok(out.warnings.includes("worker: stdin: pipe: a unit's stdin is /dev/null (nothing like send)"));
  equal(quote('a "b" \\ $X %i', false), '"a \\"b\\" \\\\ $X %%i"');
});

Deno.test("relativePath", () => {
  equal(relativePath("/a/b", "/a/c"), "../c");
  equal(relativePath("/a", "/a"), ".");
  equal(relativePath("/a", "/a/b/c"), "b/c");
});
