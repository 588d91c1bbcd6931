/**
 * Parsing a YAML source (a process-compose.yaml) for its importer: the
 * `yaml` package with line positions (loaded with a dynamic import), syntax
 * errors as `ConfigError`s, the document wrapped in the loader's `Ast`.
 */

import type { ConfigError } from "../types.ts";
import { Ast } from "../yaml_ast.ts";
import type { Draft } from "./draft.ts";
import { importProcessCompose } from "./process_compose.ts";

/** Parses `text` (the file at `file`) and imports it as process-compose. */
export async function parseForImport(
  file: string,
  text: string,
): Promise<{ ok: true; draft: Draft } | { ok: false; error: ConfigError }> {
  const y = await import("yaml");
  const lc = new y.LineCounter();
  const doc = y.parseDocument(text, { lineCounter: lc, merge: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lc.linePos(first.pos[0]);
    return {
      ok: false,
      error: { file, line, col, message: `YAML syntax error: ${first.message}` },
    };
  }
  return { ok: true, draft: importProcessCompose(new Ast(y, doc, lc, file)) };
}
