/**
 * `NO_COLOR` for the terminal UI: drop colour from every SGR sequence of a
 * frame while keeping the attributes that carry meaning without colour
 * (bold, dim, underline, reverse video for the selection). Pure.
 */

// deno-lint-ignore no-control-regex
const SGR = /\x1b\[([0-9;:]*)m/g;

/** Attributes kept: reset, bold, dim, italic, underline, reverse, and their "off" codes. */
const KEEP = new Set(["", "0", "1", "2", "3", "4", "7", "22", "23", "24", "27"]);

function keepAttributes(params: string): string {
  const parts = params.split(";");
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    // 38/48/58;5;N and 38/48/58;2;R;G;B carry their colour in the following parameters.
    if (p === "38" || p === "48" || p === "58") {
      i += parts[i + 1] === "5" ? 2 : parts[i + 1] === "2" ? 4 : 1;
      continue;
    }
    if (KEEP.has(p)) kept.push(p);
  }
  return kept.length ? `\x1b[${kept.join(";")}m` : "";
}

/** A frame line without colour. */
export function stripColor(line: string): string {
  return line.includes("\x1b[")
    ? line.replace(SGR, (_m, params: string) => keepAttributes(params))
    : line;
}

/** True when the environment asks for no colour (`NO_COLOR` set and not empty). */
export function noColorWanted(env: { get(k: string): string | undefined } = Deno.env): boolean {
  return (env.get("NO_COLOR") ?? "") !== "";
}
