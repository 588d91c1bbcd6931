/**
 * The one internal model every importer produces: a `Draft` is an
 * `agent-procs.yaml` before it is written (top-level fields, processes and
 * their fields in order, each with the source line it came from, plus
 * comments and warnings for what did not map). `renderDraft` writes it as
 * YAML text with a map from each generated line back to the source line, so
 * the same loader and validator that read `agent-procs.yaml` read an import,
 * and their errors point into the original file. Pure, no imports.
 */

/** The formats `up --config` and `init --from` read. */
export type FormatName =
  | "agent-procs"
  | "procfile"
  | "process-compose"
  | "package.json"
  | "deno.json";

/** A value of a config field: scalars, lists of strings, or flat maps (env, ready probes). */
export type DraftValue =
  | string
  | number
  | boolean
  | string[]
  | { readonly [key: string]: string | number | boolean };

/** One field of the draft config, with the source line it came from (null: none). */
export interface DraftField {
  key: string;
  value: DraftValue;
  line: number | null;
}

/** Something in the source that does not map: where it is and why. */
export interface ImportWarning {
  /** 1-based line in the source file, or null for the file as a whole. */
  line: number | null;
  /** One line: names the field and what happens to it. */
  message: string;
}

/** One process of the draft. */
export interface DraftProcess {
  name: string;
  line: number | null;
  fields: DraftField[];
  /** Comment lines written above the process (what did not map, notes). */
  comments: string[];
}

/** An imported config, ready to render and validate. */
export interface Draft {
  format: FormatName;
  top: DraftField[];
  processes: DraftProcess[];
  /** Comment lines written at the top of the file. */
  header: string[];
  warnings: ImportWarning[];
}

/** A new empty draft. */
export function newDraft(format: FormatName): Draft {
  return { format, top: [], processes: [], header: [], warnings: [] };
}

/**
 * Records a field that does not map: a warning (`name` is the field's path
 * in the source, e.g. `processes.web.liveness_probe`) and, when a process is
 * given, a comment above that process in the generated file.
 */
export function unmapped(
  d: Draft,
  proc: DraftProcess | null,
  line: number | null,
  name: string,
  why: string,
): void {
  const message = `${name}: ${why}`;
  d.warnings.push({ line, message });
  const where = line === null ? "" : ` (line ${line})`;
  if (proc) proc.comments.push(`not mapped${where}: ${message}`);
  else d.header.push(`not mapped${where}: ${message}`);
}

/** Generated YAML text and, for each of its lines (index = line - 1), the source line. */
export interface Rendered {
  text: string;
  lines: (number | null)[];
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function key(k: string): string {
  return PLAIN_KEY.test(k) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(k)
    ? k
    : JSON.stringify(k);
}

/** A scalar in YAML: strings double-quoted (JSON escapes are valid YAML), others as is. */
function scalar(v: string | number | boolean): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

function comment(text: string, indent: string): string[] {
  return text.split("\n").map((l) => `${indent}# ${l}`.trimEnd());
}

/** Renders a draft as `agent-procs.yaml` text with its line map. */
export function renderDraft(d: Draft): Rendered {
  const out: string[] = [];
  const lines: (number | null)[] = [];
  const push = (text: string, line: number | null) => {
    out.push(text);
    lines.push(line);
  };
  const field = (f: DraftField, indent: string) => {
    const v = f.value;
    if (Array.isArray(v)) {
      push(`${indent}${key(f.key)}: [${v.map(scalar).join(", ")}]`, f.line);
    } else if (typeof v === "object") {
      const entries = Object.entries(v);
      if (f.key === "env" || entries.length > 2) {
        push(`${indent}${key(f.key)}:${entries.length ? "" : " {}"}`, f.line);
        for (const [k, x] of entries) push(`${indent}  ${key(k)}: ${scalar(x)}`, f.line);
      } else {
        const flow = entries.map(([k, x]) => `${key(k)}: ${scalar(x)}`).join(", ");
        push(`${indent}${key(f.key)}: { ${flow} }`, f.line);
      }
    } else push(`${indent}${key(f.key)}: ${scalar(v)}`, f.line);
  };
  for (const c of d.header) for (const l of comment(c, "")) push(l, null);
  for (const f of d.top) field(f, "");
  push("processes:", null);
  for (const p of d.processes) {
    for (const c of p.comments) for (const l of comment(c, "  ")) push(l, p.line);
    push(`  ${key(p.name)}:`, p.line);
    for (const f of p.fields) field(f, "    ");
  }
  return { text: out.join("\n") + "\n", lines };
}
