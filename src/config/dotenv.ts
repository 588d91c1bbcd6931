/**
 * A small dotenv parser (pure): `KEY=VALUE` lines, an optional `export `
 * prefix, `#` comments and blank lines, unquoted values (trimmed; a `#`
 * at the start or after a blank begins a comment), single-quoted values
 * (literal) and double-quoted values
 * (escapes `\n \r \t \\ \" \$`); both quoted forms may span lines. No
 * variable interpolation: `$X` stays as written. Errors carry a 1-based line
 * and column.
 */

/** The variables of an env file, or the first error with its place. */
export type DotenvResult =
  | { ok: true; vars: Record<string, string> }
  | { ok: false; line: number; col: number; message: string };

const LINE = /^([ \t]*)(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)([ \t]*=[ \t]*)(.*)$/;
const ESCAPES: Record<string, string> = {
  n: "\n",
  r: "\r",
  t: "\t",
  "\\": "\\",
  '"': '"',
  "$": "$",
};

/** A quoted value read from `lines[start]` at `col0` (0-based), or an error. */
interface Quoted {
  value: string;
  /** Index of the line the value ended on. */
  endLine: number;
  /** What follows the closing quote on that line. */
  rest: string;
}

function readQuoted(lines: string[], start: number, col0: number): Quoted | null {
  const quote = lines[start][col0];
  let out = "";
  let ln = start;
  let i = col0 + 1;
  for (;;) {
    const s = lines[ln];
    while (i < s.length) {
      const c = s[i];
      if (c === quote) return { value: out, endLine: ln, rest: s.slice(i + 1) };
      if (quote === '"' && c === "\\" && i + 1 < s.length) {
        const e = s[i + 1];
        out += ESCAPES[e] ?? `\\${e}`;
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
    if (ln + 1 >= lines.length) return null;
    out += "\n";
    ln++;
    i = 0;
  }
}

/** Parses the text of an env file. Later assignments of a key win. */
export function parseDotenv(text: string): DotenvResult {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const vars: Record<string, string> = {};
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln];
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const m = LINE.exec(line);
    if (!m) {
      const indent = line.length - line.trimStart().length;
      const message = line.includes("=")
        ? `invalid variable name ${JSON.stringify(line.slice(0, line.indexOf("=")).trim())}`
        : `expected KEY=VALUE, got ${JSON.stringify(trimmed)}`;
      return { ok: false, line: ln + 1, col: indent + 1, message };
    }
    const [, indent, exp = "", key, eq, raw] = m;
    const col0 = indent.length + exp.length + key.length + eq.length;
    if (raw.startsWith('"') || raw.startsWith("'")) {
      const q = readQuoted(lines, ln, col0);
      if (!q) {
        return { ok: false, line: ln + 1, col: col0 + 1, message: `missing closing ${raw[0]}` };
      }
      if (!/^[ \t]*(?:#.*)?$/.test(q.rest)) {
        const endLine = lines[q.endLine];
        const col = endLine.length - q.rest.length + 1;
        return {
          ok: false,
          line: q.endLine + 1,
          col,
          message: "unexpected text after the closing quote",
        };
      }
      vars[key] = q.value;
      ln = q.endLine;
    } else {
      const hash = raw.search(/(?:^|[ \t])#/);
      vars[key] = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    }
  }
  return { ok: true, vars };
}
