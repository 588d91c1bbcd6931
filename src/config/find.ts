/**
 * Config discovery for every CLI command: find `agent-procs.yaml` (or `.yml`)
 * from a directory upwards, and read its top-level `session:` with a tiny
 * line scanner. Imports nothing (no npm, no YAML parser): it is on the
 * start-up path of every command. `loadConfig` checks that the full YAML
 * parser reads the same session, so the two never disagree silently.
 */

/** The file names searched in each directory, in order. */
export const CONFIG_NAMES: readonly string[] = ["agent-procs.yaml", "agent-procs.yml"];

/** Makes `p` absolute (against `Deno.cwd()`) and removes `.`, `..` and repeated slashes. */
export function normalizePath(p: string): string {
  const abs = p.startsWith("/") ? p : `${Deno.cwd()}/${p}`;
  const out: string[] = [];
  for (const seg of abs.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return "/" + out.join("/");
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false; // missing, unreadable directory, not a directory: not here
  }
}

/**
 * Returns the absolute path of the nearest config file: `agent-procs.yaml`,
 * then `agent-procs.yml`, in `startDir`, then in each parent up to `/`; null
 * when there is none.
 */
export function findConfig(startDir: string): string | null {
  let dir = normalizePath(startDir);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = dir === "/" ? `/${name}` : `${dir}/${name}`;
      if (isFile(candidate)) return candidate;
    }
    if (dir === "/") return null;
    dir = dir.slice(0, dir.lastIndexOf("/")) || "/";
  }
}

const SESSION_KEY = /^(?:session|"session"|'session')[ \t]*:(?=[ \t]|$)(.*)$/;
const DQ_ESCAPES: Record<string, string> = {
  "0": "\0",
  "a": "\x07",
  "b": "\b",
  "t": "\t",
  "\t": "\t",
  "n": "\n",
  "v": "\v",
  "f": "\f",
  "r": "\r",
  "e": "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
};

/** True when what follows a closed quoted scalar is only blanks or a comment. */
function restIsEmpty(rest: string): boolean {
  return /^(?:[ \t]+(?:#.*)?)?$/.test(rest);
}

function doubleQuoted(v: string): string | null {
  let out = "";
  for (let i = 1; i < v.length; i++) {
    const c = v[i];
    if (c === '"') return restIsEmpty(v.slice(i + 1)) ? out : null;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = v[++i];
    if (e === undefined) return null;
    if (e in DQ_ESCAPES) out += DQ_ESCAPES[e];
    else if (e === "x" || e === "u" || e === "U") {
      const len = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = v.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return null;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else return null;
  }
  return null; // not closed on this line: leave it to the YAML parser
}

function singleQuoted(v: string): string | null {
  let out = "";
  for (let i = 1; i < v.length; i++) {
    if (v[i] !== "'") out += v[i];
    else if (v[i + 1] === "'") {
      out += "'";
      i++;
    } else return restIsEmpty(v.slice(i + 1)) ? out : null;
  }
  return null;
}

function plain(v: string): string | null {
  if (/^[[\]{}&*!|>%@`,#]/.test(v) || /^[-?:](?:[ \t]|$)/.test(v)) return null; // not simple
  const hash = v.search(/[ \t]#/);
  const s = (hash >= 0 ? v.slice(0, hash) : v).trimEnd();
  if (/:(?:[ \t]|$)/.test(s)) return null; // "a: b" is no scalar here
  if (s === "" || s === "~" || /^(?:null|Null|NULL)$/.test(s)) return null;
  return s;
}

/**
 * Reads the top-level `session:` value of a config file's text without a YAML
 * parser: only an unindented `session:` line counts (keys nested under
 * `processes:` never match), with a plain, single- or double-quoted scalar
 * and an optional trailing comment. Returns null when absent, empty, null or
 * not a simple scalar.
 */
export function peekSession(text: string): string | null {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const line of lines) {
    const m = SESSION_KEY.exec(line);
    if (!m) continue;
    const v = m[1].replace(/^[ \t]+/, "");
    if (v === "" || v.startsWith("#")) return null;
    if (v.startsWith('"')) return doubleQuoted(v);
    if (v.startsWith("'")) return singleQuoted(v);
    return plain(v);
  }
  return null;
}
