/**
 * Writing export files as text: YAML documents through the `yaml` package
 * (passed in as a module, loaded by the caller with a dynamic import), with
 * each document's header and notes as comments; text files as they are.
 */

import type * as Yaml from "yaml";
import type { ExportFile } from "./model.ts";

function comment(lines: string[]): string {
  return lines.map((l) => ` ${l}`).join("\n");
}

/** The text of one export file. */
export function serialize(y: typeof Yaml, f: ExportFile): string {
  if (f.kind === "text") return f.text;
  return f.docs.map((d) => {
    // YAML 1.1 quoting ("no", "on", "y" stay strings for 1.1 parsers: docker-compose, kubectl).
    const doc = new y.Document(d.value, { version: "1.1", aliasDuplicateObjects: false });
    if (d.header.length) doc.commentBefore = comment(d.header);
    for (const n of d.notes) {
      const node = doc.getIn(n.path, true);
      if (y.isNode(node)) node.commentBefore = comment(n.lines);
    }
    return doc.toString({ lineWidth: 0 });
  }).join("---\n");
}
