/**
 * systemd export (pure): a user unit per process plus a target that starts
 * them all. `After=`/`Requires=` from depends_on, `Restart=` from the policy
 * (`RestartSec=`, and `StartLimitBurst=` for max_restarts), `KillMode=
 * control-group`, `KillSignal=`, `TimeoutStopSec=` from stop_timeout; an
 * http/tcp/cmd readiness check becomes an `ExecStartPost=` loop bounded by
 * `TimeoutStartSec=`, so dependents start once it passes. A log-line check
 * and watch are comments and warnings. Units are text (no npm type package
 * describes them), escaped for systemd's own `%` and `$` expansion.
 */

import type { ExportFile, ExportOutput, ExportProcess, ExportStack } from "./model.ts";
import { commonNotes, Notes, probeShell, secs } from "./model.ts";

/** The unit name of a process. */
export function unitName(stack: string, proc: string): string {
  return `${stack}-${proc}.service`;
}

/** A word in double quotes for a systemd command line or assignment (`%`, `$`, `\`, `"`). */
export function quote(s: string, dollars = true): string {
  let v = s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("%", "%%")
    .replaceAll("\n", "\\n");
  if (dollars) v = v.replaceAll("$", "$$$$");
  return `"${v}"`;
}

function ms(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}s` : `${n}ms`;
}

function unit(p: ExportProcess, s: ExportStack, notes: Notes): string {
  commonNotes(p, notes, "systemd");
  if (p.stdin === "pipe") {
    notes.add(p.name, "stdin: pipe: a unit's stdin is /dev/null (nothing like send)");
  }
  const deps = p.dependsOn.map((d) => unitName(s.name, d)).join(" ");
  const env: Record<string, string> = {};
  if (p.port !== null) Object.assign(env, { PORT: String(p.port), HOST: "127.0.0.1" });
  Object.assign(env, p.env);
  const probe = p.ready ? probeShell(p.ready) : null;
  const restart = p.autorestart === "never" ? "no" : p.autorestart;
  const lines = [
    `# ${p.name}: exported by agent-procs from ${s.name}.`,
    ...notes.of(p.name).map((n) => `# ${n}`),
    "[Unit]",
    `Description=${s.name}: ${p.name}`,
    `PartOf=${s.name}.target`,
    ...(deps ? [`After=${deps}`, `Requires=${deps}`] : []),
    ...(p.autorestart !== "never"
      ? p.maxRestarts === null
        ? ["StartLimitIntervalSec=0"]
        : ["StartLimitIntervalSec=1d", `StartLimitBurst=${p.maxRestarts + 1}`]
      : []),
    "",
    "[Service]",
    "Type=simple",
    `WorkingDirectory=${p.cwd.replaceAll("%", "%%")}`,
    ...Object.entries(env).map(([k, v]) => `Environment=${quote(`${k}=${v}`, false)}`),
    `ExecStart=/bin/sh -c ${quote(p.cmd)}`,
    ...(probe === null ? [] : [
      `ExecStartPost=/bin/sh -c ${quote(`until ${probe}; do sleep 1; done`)}`,
      `TimeoutStartSec=${secs(p.readyTimeoutMs, 1)}`,
    ]),
    `Restart=${restart}`,
    ...(restart !== "no" ? [`RestartSec=${ms(p.restartDelayMs)}`] : []),
    "KillMode=control-group",
    `KillSignal=${p.stopSignal}`,
    `TimeoutStopSec=${secs(p.stopTimeoutMs, 1)}`,
    "",
    "[Install]",
    `WantedBy=${s.name}.target`,
    "",
  ];
  return lines.join("\n");
}

/** Builds the user units of a stack: `STACK-NAME.service` per process and `STACK.target`. */
export function exportSystemd(s: ExportStack): ExportOutput {
  const notes = new Notes();
  const files: ExportFile[] = s.processes.map((p) => ({
    name: unitName(s.name, p.name),
    kind: "text",
    text: unit(p, s, notes),
  }));
  const all = s.processes.map((p) => unitName(s.name, p.name)).join(" ");
  files.push({
    name: `${s.name}.target`,
    kind: "text",
    text: [
      `# The ${s.name} stack, exported by agent-procs: systemctl --user start ${s.name}.target`,
      "[Unit]",
      `Description=${s.name} (agent-procs stack)`,
      `Wants=${all}`,
      "",
      "[Install]",
      "WantedBy=default.target",
      "",
    ].join("\n"),
  });
  if (s.proxy) notes.warnings.push("proxy: the agent-procs proxy is not exported");
  return { files, warnings: notes.warnings };
}
