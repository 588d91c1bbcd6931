/**
 * process-compose.yaml importer (pure over the parsed YAML, via `Ast`): maps
 * the fields SPEC §17 names onto an `agent-procs.yaml` draft and turns every
 * other key into a warning with its line. The field tables are in
 * `process_compose_fields.ts`; this file walks the document.
 */

import type { Ast, Entry } from "../yaml_ast.ts";
import { type Draft, type DraftProcess, newDraft, unmapped } from "./draft.ts";
import { mapProcessField, type PcContext } from "./process_compose_fields.ts";
import { readPcEnv, stringList } from "./process_compose_values.ts";
import { resolveDependencies } from "./process_compose_deps.ts";

/** Top-level keys that carry nothing a process needs (no warning). */
const TOP_SILENT = new Set(["version"]);

/** Imports a parsed process-compose document. */
export function importProcessCompose(ast: Ast): Draft {
  const d = newDraft("process-compose");
  const root = ast.resolve(ast.doc.contents);
  if (!root || !ast.y.isMap(root)) {
    d.warnings.push({ line: 1, message: "expected a map with processes:" });
    return d;
  }
  const ctx: PcContext = { ast, d, deps: [], readiness: new Map(), disabled: new Map() };
  let processes: Entry | undefined;
  for (const e of ast.entries(root)) {
    const line = ast.pos(e.keyNode).line;
    if (TOP_SILENT.has(e.key)) continue;
    if (e.key === "processes") processes = e;
    else if (e.key === "environment") {
      const env = readPcEnv(ast, d, null, e, "environment");
      if (env) d.top.push({ key: "env", value: env, line });
    } else if (e.key === "env_file" || e.key === "env_file_names") {
      const files = stringList(ast, e.value);
      if (files) d.top.push({ key: "env_file", value: files, line });
      else unmapped(d, null, line, e.key, "expected a file name or a list of them");
    } else unmapped(d, null, line, e.key, "not supported by agent-procs, ignored");
  }
  const procs = processes?.value;
  if (!procs || !ast.y.isMap(procs)) return d;
  for (const def of ast.entries(procs)) {
    const line = ast.pos(def.keyNode).line;
    const proc: DraftProcess = { name: def.key, line, fields: [], comments: [] };
    const v = def.value;
    if (!v || !ast.y.isMap(v)) {
      unmapped(d, null, line, `processes.${def.key}`, `expected a map, got ${ast.describe(v)}`);
      continue;
    }
    let disabled = false;
    for (const e of ast.entries(v)) {
      if (e.key === "disabled") disabled = e.value !== null && ast.scalarText(e.value) === "true";
      else mapProcessField(ctx, proc, e);
    }
    if (disabled) {
      ctx.disabled.set(proc.name, line);
      d.header.push(`processes.${proc.name} is disabled in the source (line ${line}): left out`);
      continue;
    }
    d.processes.push(proc);
  }
  resolveDependencies(ctx);
  return d;
}
