/**
 * Value readers of the process-compose importer (pure over the YAML nodes):
 * `environment` as a list of `KEY=VALUE` or a map, and a string or a list
 * of strings (env files). What cannot be read is a warning with its line.
 */

import type { Ast, Entry, YNode } from "../yaml_ast.ts";
import type { Draft, DraftProcess } from "./draft.ts";
import { unmapped } from "./draft.ts";

/** Reads `environment`: a list of `K=V` strings or a map. */
export function readPcEnv(
  ast: Ast,
  d: Draft,
  proc: DraftProcess | null,
  e: Entry,
  path: string,
): Record<string, string> | null {
  const v = e.value;
  const line = ast.pos(e.keyNode).line;
  const out: Record<string, string> = {};
  if (v && ast.y.isSeq(v)) {
    for (const item of v.items) {
      const n = ast.resolve(item as YNode);
      const s = n ? ast.scalarText(n) : null;
      const eq = s === null ? -1 : s.indexOf("=");
      if (s === null || eq <= 0) {
        unmapped(d, proc, n ? ast.pos(n).line : line, path, `expected "KEY=VALUE", skipped`);
        continue;
      }
      out[s.slice(0, eq)] = s.slice(eq + 1);
      if (s.includes("$")) {
        const at = n ? ast.pos(n).line : line;
        d.warnings.push({ line: at, message: `${path}: ${s.slice(0, eq)}: "$" is not expanded` });
      }
    }
    return out;
  }
  if (v && ast.y.isMap(v)) {
    for (const x of ast.entries(v)) {
      const s = x.value ? ast.scalarText(x.value) : null;
      if (s === null) unmapped(d, proc, ast.pos(x.keyNode).line, `${path}.${x.key}`, "not a value");
      else out[x.key] = s;
    }
    return out;
  }
  unmapped(d, proc, line, path, `expected a list of "KEY=VALUE", got ${ast.describe(v)}`);
  return null;
}

/** A string or a list of strings, else null. */
export function stringList(ast: Ast, v: YNode | null): string[] | null {
  if (!v) return null;
  const one = ast.scalarText(v);
  if (one !== null) return [one];
  if (!ast.y.isSeq(v)) return null;
  const out: string[] = [];
  for (const item of v.items) {
    const n = ast.resolve(item as YNode);
    const s = n ? ast.scalarText(n) : null;
    if (s === null) return null;
    out.push(s);
  }
  return out;
}
