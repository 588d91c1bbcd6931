/**
 * Path helpers of the config loader (pure, no imports): resolve a path
 * written in a config against a directory (with `~` for the home directory),
 * and show a path relative to the current directory when that is shorter.
 */

import { normalizePath } from "./find.ts";

/** Resolves `p` against `dir`; `~` and `~/x` use `home` when it is set. */
export function resolveFrom(dir: string, p: string, home: string | undefined): string {
  if (home && (p === "~" || p.startsWith("~/"))) return normalizePath(home + p.slice(1));
  return normalizePath(p.startsWith("/") ? p : `${dir}/${p}`);
}

/** `file` relative to `cwd` (`a/b`, `../x`) when that is shorter, else as given. */
export function shortPath(file: string, cwd: string): string {
  if (!file.startsWith("/") || !cwd.startsWith("/")) return file;
  const f = file.split("/").filter(Boolean);
  const c = cwd.split("/").filter(Boolean);
  let i = 0;
  while (i < f.length && i < c.length && f[i] === c[i]) i++;
  const rel = [...Array(c.length - i).fill(".."), ...f.slice(i)].join("/") || ".";
  return rel.length < file.length ? rel : file;
}
