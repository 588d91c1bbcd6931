/**
 * Names for `run` without `--name`: the command's first word (its basename,
 * skipping `VAR=value` assignments and wrappers like `exec`/`env`/`sudo`),
 * reduced to a valid name, with `-2`, `-3`, ... when that name is live.
 */

const WRAPPERS = new Set(["exec", "env", "sudo", "nohup", "time", "command", "npx", "bunx"]);

/** The base name for a command (pure). */
export function baseName(cmd: string): string {
  const words = cmd.trim().split(/\s+/);
  let word = "";
  for (const w of words) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || WRAPPERS.has(w) || w.startsWith("-")) continue;
    word = w;
    break;
  }
  const base = word.split("/").filter(Boolean).pop() ?? "";
  const clean = base.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "").replace(/-+$/, "")
    .slice(0, 56);
  return clean || "proc";
}

/** A free name for `cmd` given the names that are live now (pure). */
export function generateName(cmd: string, live: ReadonlySet<string>): string {
  const base = baseName(cmd);
  if (!live.has(base)) return base;
  for (let i = 2;; i++) if (!live.has(`${base}-${i}`)) return `${base}-${i}`;
}
