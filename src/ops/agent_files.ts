/**
 * The edits `setup-agent` makes, as pure functions from a file's text (or
 * null when it does not exist) to its new text: an MCP server entry merged
 * into a JSON/JSONC config (parsed with `jsonc-parser`, edited by inserting
 * text only, so comments, formatting and every other key stay; an existing
 * entry only gains missing keys), a TOML
 * table appended to a Codex config (no comment-preserving TOML library is
 * well kept on npm, and appending or filling one table needs none), and a
 * marked section in a Markdown instructions file, replaced on each run.
 * Each returns the same text when nothing needs to change (idempotent).
 */

import type * as Jsonc from "jsonc-parser";

/** The server entry's name in every client config. */
export const SERVER_NAME = "agent-procs";

/** The command clients start (the installed binary, found on PATH). */
export const SERVER_ENTRY = { command: "agent-procs", args: ["mcp"] } as const;

/** Result of an edit: the new text, or an error (a file that cannot be read as its format). */
export type Edit = { ok: true; text: string } | { ok: false; message: string };

/** Leading blanks of the line holding `offset`. */
function indentAt(src: string, offset: number): string {
  const start = src.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(src.slice(start))![0];
}

/** `value` as pretty JSON whose lines after the first start with `indent`. */
function pretty(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replaceAll("\n", `\n${indent}`);
}

/**
 * Inserts `"name": value` as the last property of the object `node`,
 * touching nothing else: the new text goes after the last property (or
 * inside `{}`), indented like its neighbours.
 */
function insertProperty(src: string, node: Jsonc.Node, name: string, value: unknown): string {
  const props = node.children ?? [];
  if (props.length) {
    const last = props[props.length - 1];
    const at = last.offset + last.length;
    const ind = indentAt(src, last.offset);
    return `${src.slice(0, at)},\n${ind}${JSON.stringify(name)}: ${pretty(value, ind)}${
      src.slice(at)
    }`;
  }
  const outer = indentAt(src, node.offset);
  const ind = `${outer}  `;
  const body = `{\n${ind}${JSON.stringify(name)}: ${pretty(value, ind)}\n${outer}}`;
  return src.slice(0, node.offset) + body + src.slice(node.offset + node.length);
}

/**
 * Adds `entry` under `key` (`mcpServers` or `servers`) as `agent-procs`;
 * an existing `agent-procs` entry keeps its values and only gains missing
 * keys. Only inserted text is new: comments, formatting and every other
 * byte stay as they were.
 */
export function mergeJsonServer(
  jsonc: typeof Jsonc,
  text: string | null,
  key: string,
  entry: Record<string, unknown>,
): Edit {
  const src = text === null || text.trim() === "" ? "{}\n" : text;
  const errors: Jsonc.ParseError[] = [];
  const root = jsonc.parseTree(src, errors, { allowTrailingComma: true });
  if (errors.length || !root || root.type !== "object") {
    const e = errors[0];
    const where = e ? ` at offset ${e.offset}: ${jsonc.printParseErrorCode(e.error)}` : "";
    return { ok: false, message: `not a JSON object${where}; left unchanged` };
  }
  const servers = jsonc.findNodeAtLocation(root, [key]);
  if (!servers) return { ok: true, text: insertProperty(src, root, key, { [SERVER_NAME]: entry }) };
  if (servers.type !== "object") {
    return { ok: false, message: `"${key}" is not an object; left unchanged` };
  }
  const mine = jsonc.findNodeAtLocation(servers, [SERVER_NAME]);
  if (!mine) return { ok: true, text: insertProperty(src, servers, SERVER_NAME, entry) };
  if (mine.type !== "object") return { ok: true, text: src };
  let out = src;
  for (const [k, v] of Object.entries(entry)) {
    const tree = jsonc.parseTree(out, [], { allowTrailingComma: true })!;
    const node = jsonc.findNodeAtLocation(tree, [key, SERVER_NAME])!;
    if (jsonc.findNodeAtLocation(node, [k]) === undefined) out = insertProperty(out, node, k, v);
  }
  return { ok: true, text: out };
}

const TOML_HEADER = /^\[mcp_servers\.(?:agent-procs|"agent-procs")\][ \t]*(?:#.*)?$/m;

/** Adds `[mcp_servers.agent-procs]` to a Codex `config.toml` (or fills its missing keys). */
export function mergeCodexToml(text: string | null): Edit {
  const src = text ?? "";
  const lines = [
    `command = ${JSON.stringify(SERVER_ENTRY.command)}`,
    `args = [${SERVER_ENTRY.args.map((a) => JSON.stringify(a)).join(", ")}]`,
  ];
  const m = TOML_HEADER.exec(src);
  if (!m) {
    const sep = src === "" ? "" : src.endsWith("\n\n") ? "" : src.endsWith("\n") ? "\n" : "\n\n";
    return { ok: true, text: `${src}${sep}[mcp_servers.${SERVER_NAME}]\n${lines.join("\n")}\n` };
  }
  const start = m.index + m[0].length;
  const next = src.slice(start).search(/^\[/m);
  const body = next < 0 ? src.slice(start) : src.slice(start, start + next);
  const missing = lines.filter((l) => !new RegExp(`^\\s*${l.split(" ")[0]}\\s*=`, "m").test(body));
  if (missing.length === 0) return { ok: true, text: src };
  return { ok: true, text: `${src.slice(0, start)}\n${missing.join("\n")}${src.slice(start)}` };
}

/** The markers around agent-procs' section in AGENTS.md / CLAUDE.md. */
export const BEGIN = "<!-- agent-procs:begin (managed by `agent-procs setup-agent`) -->";
/** End marker. */
export const END = "<!-- agent-procs:end -->";

/** The section's text (between the markers). */
export const SECTION = `## Long-running processes

Never start servers, watchers or workers with \`&\`, \`nohup\` or a second terminal. Use agent-procs:

- \`agent-procs run "CMD" --name NAME [--port P] [--ready "TEXT"]\` starts one in the background
  (and returns once TEXT is printed); \`agent-procs up\` starts the project's stack;
- \`agent-procs status\` shows what runs; \`agent-procs logs NAME [--stderr] [--grep PAT]\` shows its
  output; \`agent-procs wait NAME --until "TEXT"\` waits for a line;
- \`agent-procs stop NAME\` / \`agent-procs stop-all\` stops it; do this when your task is done.

Run \`agent-procs --help\` for more.`;

/** Adds or replaces the marked section in a Markdown file. */
export function upsertSection(text: string): string {
  const block = `${BEGIN}\n${SECTION}\n${END}`;
  const b = text.search(/<!-- agent-procs:begin\b[^\n]*?-->/); // any wording after "begin"
  const e = b < 0 ? -1 : text.indexOf(END, b);
  if (b >= 0 && e >= 0) return text.slice(0, b) + block + text.slice(e + END.length);
  const sep = text === "" ? "" : text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  return `${text}${sep}${block}\n`;
}
