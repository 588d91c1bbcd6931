/**
 * The text of the formats operations' results (`init`, `export`, `setup-agent`,
 * and the warnings of an imported config), kept apart from `text.ts` so the
 * everyday commands do not load the formats' modules.
 */

import type { InitResult } from "../ops/init.ts";
import type { ExportResult } from "../ops/export.ts";
import type { SetupAgentResult } from "../ops/setup_agent.ts";
import { shortPath } from "../config/paths.ts";
import { type ConfigWarning, formatWarning } from "../config/formats/format_warning.ts";
import type { OutLine } from "./text.ts";

const out = (text: string): OutLine => ({ text, stderr: false });
const err = (text: string): OutLine => ({ text, stderr: true });

/** What an imported config could not map: `warning: FILE:LINE: ...` lines on stderr. */
export function configWarningLines(warnings: ConfigWarning[], cwd: string): OutLine[] {
  return warnings.map((w) => err(`warning: ${formatWarning(w, cwd)}`));
}

/** `init`: the file's text (dry run) or what was written, after the warnings. */
export function initLines(r: InitResult, cwd: string): OutLine[] {
  const warnings = configWarningLines(r.warnings, cwd);
  if (!r.written) return [...warnings, ...r.text.replace(/\n$/, "").split("\n").map(out)];
  const what = `${r.replaced ? "replaced" : "wrote"} ${shortPath(r.path, cwd)}`;
  return [
    ...warnings,
    out(`${what} from ${shortPath(r.source, cwd)} (${r.processes.join(", ")})`),
  ];
}

/**
 * `export`: warnings on stderr, then `wrote PATH` per file, or the files'
 * text (one file as it is; several each after a `# ==> NAME <==` line).
 */
export function exportLines(r: ExportResult, cwd: string): OutLine[] {
  const lines = [
    ...configWarningLines(r.importWarnings, cwd),
    ...r.warnings.map((w) => err(`warning: ${w}`)),
  ];
  for (const f of r.files) {
    if (f.path) lines.push(out(`wrote ${shortPath(f.path, cwd)}`));
    else {
      if (r.files.length > 1) lines.push(out(`# ==> ${f.name} <==`));
      lines.push(...f.text.replace(/\n$/, "").split("\n").map(out));
    }
  }
  return lines;
}

/** `setup-agent`: one line per file (`created`, `updated`, `unchanged`; `would ...` on a dry run). */
export function setupAgentLines(r: SetupAgentResult): string[] {
  const verb = { create: "created", update: "updated", unchanged: "unchanged" } as const;
  const dry = { create: "would create", update: "would update", unchanged: "unchanged" } as const;
  return [
    `clients: ${r.clients.join(", ")}`,
    ...r.changes.map((c) => `${(r.dryRun ? dry : verb)[c.action]} ${c.path} (${c.what})`),
  ];
}
