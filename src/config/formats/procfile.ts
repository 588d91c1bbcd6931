/**
 * Procfile importer (pure): each `name: command` line becomes a process.
 * Like foreman, every process gets a `PORT`: the base port (foreman's
 * default 5000, or the caller's `PORT`) plus 100 per process, in file order;
 * and a `.env` next to the Procfile is loaded for every process. Blank lines
 * and `#` comments are skipped; any other line that is not `name: command`
 * is a warning. Parsed by hand: the format is one regular expression per
 * line, and no npm package is the standard for it.
 */

import { type Draft, newDraft } from "./draft.ts";

/** A Procfile line as foreman reads it: a name of letters, digits, `_` and `-`, then the command. */
const LINE = /^([A-Za-z0-9_-]+):[ \t]*(.*?)[ \t]*$/;

/** What the importer needs to know about the Procfile's surroundings. */
export interface ProcfileOptions {
  /** First port (foreman: `-p`, else `PORT`, else 5000). */
  basePort?: number;
  /** Whether a `.env` file sits next to the Procfile. */
  hasDotenv?: boolean;
}

/** The default first port, as foreman's. */
export const PROCFILE_BASE_PORT = 5000;

/** Turns a Procfile into a draft config. */
export function importProcfile(text: string, opts: ProcfileOptions = {}): Draft {
  const d = newDraft("procfile");
  const base = opts.basePort ?? PROCFILE_BASE_PORT;
  if (opts.hasDotenv) d.top.push({ key: "env_file", value: ".env", line: null });
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === "" || t.startsWith("#")) return;
    const m = LINE.exec(raw);
    if (!m || m[2] === "") {
      d.warnings.push({
        line,
        message: `not a "name: command" line, skipped: ${JSON.stringify(t)}`,
      });
      d.header.push(`not mapped (line ${line}): ${t}`);
      return;
    }
    const [, name, cmd] = m;
    if (seen.has(name)) {
      d.warnings.push({ line, message: `${name}: defined again, this line is skipped` });
      return;
    }
    seen.add(name);
    const port = base + 100 * d.processes.length;
    d.processes.push({
      name,
      line,
      comments: [],
      fields: [
        { key: "cmd", value: cmd, line },
        { key: "port", value: port, line },
      ],
    });
  });
  return d;
}
