/**
 * Which format a config file is in (pure): by its name first (`Procfile`,
 * `package.json`, `deno.json`, `process-compose.yaml`, `agent-procs.yaml`),
 * then by its content (JSON with scripts or tasks; YAML whose processes use
 * `command:`, or with a top-level `version:`; lines that all read
 * `name: command`). Anything else is read as `agent-procs.yaml`, whose
 * validator then says precisely what is wrong.
 */

import type { FormatName } from "./draft.ts";

const PROCFILE_LINE = /^[A-Za-z0-9_-]+:[ \t]*\S/;

/** The format of the file at `path` with content `text`. */
export function detectFormat(path: string, text: string): FormatName {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (/^Procfile(\..+)?$/.test(base)) return "procfile";
  if (base === "package.json") return "package.json";
  if (base === "deno.json" || base === "deno.jsonc") return "deno.json";
  if (/^(process-compose|agent-procs)([.-].+)?\.ya?ml$/.test(base)) {
    return base.startsWith("agent-procs") ? "agent-procs" : "process-compose";
  }
  const body = text.trim();
  if (body.startsWith("{")) return /"scripts"\s*:/.test(body) ? "package.json" : "deno.json";
  if (/^processes[ \t]*:/m.test(text)) {
    const pc = /^version[ \t]*:/m.test(text) ||
      (/^[ \t]+command[ \t]*:/m.test(text) && !/^[ \t]+cmd[ \t]*:/m.test(text));
    return pc ? "process-compose" : "agent-procs";
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  if (lines.length > 0 && lines.every((l) => PROCFILE_LINE.test(l))) return "procfile";
  return "agent-procs";
}
