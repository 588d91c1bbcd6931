/**
 * The `depends_on` conditions of process-compose, resolved once every
 * process is read (pure): `process_started`, `process_healthy` and
 * `process_log_ready` become `depends_on` (agent-procs waits for readiness,
 * so a mismatch is a warning); `process_completed_successfully` and
 * `process_completed` turn the dependency into a one-shot task whose
 * readiness is a line printed when it finishes.
 */

import type { DraftProcess } from "./draft.ts";
import { unmapped } from "./draft.ts";
import { type PcContext, set } from "./process_compose_fields.ts";

/** The text printed by a one-shot dependency once it succeeded (its readiness line). */
export function completedMarker(name: string): string {
  return `agent-procs: ${name} completed`;
}

/** Turns the recorded `depends_on` entries into `depends_on` fields, adapting one-shot dependencies. */
export function resolveDependencies(c: PcContext): void {
  const { d } = c;
  const byName = new Map(d.processes.map((p) => [p.name, p]));
  const oneShot = new Set<string>();
  for (const dep of c.deps) {
    const path = `processes.${dep.from.name}.depends_on.${dep.to}`;
    if (c.disabled.has(dep.to)) {
      unmapped(d, dep.from, dep.line, path, `${dep.to} is disabled, so this dependency is dropped`);
      continue;
    }
    const target = byName.get(dep.to);
    const kind = c.readiness.get(dep.to);
    const completes = dep.condition === "process_completed_successfully" ||
      dep.condition === "process_completed";
    if (target && completes && !oneShot.has(dep.to)) {
      if (kind) {
        unmapped(
          d,
          dep.from,
          dep.line,
          path,
          `${dep.condition}: ${dep.to} has a readiness check, which is waited for instead`,
        );
      } else {
        oneShot.add(dep.to);
        wrapOneShot(target, dep.condition === "process_completed");
      }
    } else if (target && dep.condition === "process_healthy" && kind !== "probe") {
      d.warnings.push({
        line: dep.line,
        message: `${path}: ${dep.to} has no readiness_probe; it counts as ready once it runs`,
      });
    } else if (target && dep.condition === "process_log_ready" && kind !== "log") {
      d.warnings.push({
        line: dep.line,
        message: `${path}: ${dep.to} has no ready_log_line; its own readiness is waited for`,
      });
    } else if (target && dep.condition === "process_started" && kind) {
      d.warnings.push({
        line: dep.line,
        message: `${path}: process_started: agent-procs waits until ${dep.to} is ready`,
      });
    } else if (
      !["process_started", "process_healthy", "process_log_ready"].includes(dep.condition) &&
      !completes
    ) {
      unmapped(
        d,
        dep.from,
        dep.line,
        `${path}.condition`,
        `unknown condition ${JSON.stringify(dep.condition)}, treated as process_started`,
      );
    }
    const existing = dep.from.fields.find((f) => f.key === "depends_on");
    if (existing && Array.isArray(existing.value)) existing.value.push(dep.to);
    else dep.from.fields.push({ key: "depends_on", value: [dep.to], line: dep.line });
  }
}

/**
 * A one-shot dependency (its dependents wait for it to finish): it prints a
 * marker when its command succeeds (or ends, for `process_completed`) and
 * then idles, and the marker is its readiness check; a failure ends it, so
 * its dependents are not started.
 */
function wrapOneShot(p: DraftProcess, anyExit: boolean): void {
  const cmd = p.fields.find((f) => f.key === "cmd");
  if (!cmd || typeof cmd.value !== "string") return;
  const marker = completedMarker(p.name);
  cmd.value = `(${cmd.value})${anyExit ? ";" : " &&"} echo ${
    JSON.stringify(marker)
  } && exec sleep 2147483647`;
  set(p, { key: "ready", value: marker, line: cmd.line });
  p.comments.push(
    "a one-shot task: its dependents wait for it to finish, so it prints a line when done, then idles",
  );
}
