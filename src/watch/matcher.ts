/**
 * Pure glob logic of the watcher: which paths count as a change, which are
 * ignored, and which directories must be watched. Loads `picomatch`, so only
 * the watcher's Worker imports it (never the CLI or the daemon's main module).
 *
 * Rules (the README and `--help` should repeat them):
 * - `watch` globs are relative to the process's cwd (absolute ones are kept).
 *   A pattern without wildcards names a file or a directory; a directory
 *   matches everything below it. `*` and `**` skip names that start with a dot
 *   unless the pattern spells the dot (`.env`, `src/.*`). Negated globs (`!x`)
 *   are rejected: use `watch_ignore`.
 * - `.git`, `node_modules`, `target` and `__pycache__` are always ignored: a
 *   path is ignored when any of its segments below the cwd is one of them.
 * - `watch_ignore` globs: a pattern without a slash (after dropping a leading
 *   `./` and a trailing `/`) is tested against every segment of the path, so
 *   `*.log` ignores `a/b/x.log` and `dist` ignores everything in any `dist`
 *   directory. A pattern with a slash is tested against the path relative to
 *   the cwd and against each of its parent directories, so `build/out`
 *   ignores `build/out/x.js`. Ignore patterns match dot names too.
 * - The directories to watch are the static bases of the globs
 *   (`picomatch.scan`): recursively when the rest of the glob has a `/` or a
 *   `**`, otherwise only that directory.
 */

// @ts-types="@types/picomatch"
import picomatch from "picomatch";
import { isAbsolute, relative, resolve } from "node:path";

/** Directory names that are never watched, at any depth. */
export const ALWAYS_IGNORED: readonly string[] = [".git", "node_modules", "target", "__pycache__"];

/** A place the watcher must watch, derived from one `watch` glob. */
export type WatchRoot =
  /** The static base directory of a glob; it must exist. */
  | { kind: "dir"; path: string; recursive: boolean; glob: string }
  /** A pattern without wildcards: a file or directory that may appear later. */
  | { kind: "path"; path: string; glob: string };

/** A ready matcher: `match` returns the path relative to cwd, or null when it does not count. */
export interface Matcher {
  ok: true;
  /** The path relative to cwd when `absPath` matches a glob and is not ignored, else null. */
  match(absPath: string): string | null;
  /** Whether `absPath` is ignored (always-ignored directory or a `watch_ignore` glob). */
  isIgnored(absPath: string): boolean;
  /** Where to watch, one entry per `watch` glob. */
  roots: WatchRoot[];
}

/** The result of compiling the globs: a matcher, or an error message for the user. */
export type MatcherResult = Matcher | { ok: false; error: string };

type Test = (path: string) => boolean;
type WatchEntry = { base: string; test: Test | null; root: WatchRoot };
type IgnoreRule = { kind: "segment" | "relative" | "absolute"; test: Test };
type Compiled<T> = { ok: true; value: T } | { ok: false; error: string };

const ALWAYS = new Set(ALWAYS_IGNORED);

function compileGlob(glob: string, opts: picomatch.PicomatchOptions): Compiled<Test> {
  try {
    const m = picomatch(glob, { ...opts, strictBrackets: true });
    return { ok: true, value: (p: string) => m(p) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function compileWatch(cwd: string, raw: string): Compiled<WatchEntry> {
  const glob = raw.trim();
  if (glob === "") return { ok: false, error: "empty watch glob" };
  if (glob.startsWith("!")) {
    return { ok: false, error: `negated watch glob "${raw}" is not supported; use watch_ignore` };
  }
  const whole = compileGlob(glob, { dot: false });
  if (!whole.ok) return { ok: false, error: `bad watch glob "${raw}": ${whole.error}` };
  const scan = picomatch.scan(glob);
  if (!scan.isGlob) {
    const path = resolve(cwd, glob);
    return { ok: true, value: { base: path, test: null, root: { kind: "path", path, glob } } };
  }
  const base = resolve(cwd, scan.base === "" ? "." : scan.base);
  const test = compileGlob(scan.glob, { dot: false });
  if (!test.ok) return { ok: false, error: `bad watch glob "${raw}": ${test.error}` };
  const recursive = scan.glob.includes("/") || scan.glob.includes("**");
  return {
    ok: true,
    value: { base, test: test.value, root: { kind: "dir", path: base, recursive, glob } },
  };
}

function compileIgnore(raw: string): Compiled<IgnoreRule> {
  let glob = raw.trim();
  if (glob.startsWith("./")) glob = glob.slice(2);
  if (glob.length > 1 && glob.endsWith("/")) glob = glob.slice(0, -1);
  if (glob === "") return { ok: false, error: "empty watch_ignore glob" };
  if (glob.startsWith("!")) {
    return { ok: false, error: `negated watch_ignore glob "${raw}" is not supported` };
  }
  const test = compileGlob(glob, { dot: true });
  if (!test.ok) return { ok: false, error: `bad watch_ignore glob "${raw}": ${test.error}` };
  const kind = isAbsolute(glob) ? "absolute" : glob.includes("/") ? "relative" : "segment";
  return { ok: true, value: { kind, test: test.value } };
}

/** Whether `rel` (from `relative()`) leaves its base directory. */
function isOutside(rel: string): boolean {
  return rel === ".." || rel.startsWith("../") || isAbsolute(rel);
}

/** `a/b/c` -> `a`, `a/b`, `a/b/c`. */
function prefixes(segs: string[]): string[] {
  return segs.map((_, i) => segs.slice(0, i + 1).join("/"));
}

/** `/a/b/c` -> `/a/b/c`, `/a/b`, `/a`. */
function ancestors(abs: string): string[] {
  const out: string[] = [];
  let p = abs;
  while (p.length > 1) {
    out.push(p);
    const i = p.lastIndexOf("/");
    p = i <= 0 ? "/" : p.slice(0, i);
  }
  return out;
}

/**
 * Compiles `watch` and `watch_ignore` globs for a process whose cwd is `cwd`
 * (absolute). Pure: touches no files. A bad or empty glob gives `{ ok: false }`.
 */
export function makeMatcher(cwd: string, globs: string[], ignore: string[]): MatcherResult {
  const entries: WatchEntry[] = [];
  for (const g of globs) {
    const c = compileWatch(cwd, g);
    if (!c.ok) return c;
    entries.push(c.value);
  }
  const rules: IgnoreRule[] = [];
  for (const g of ignore) {
    const c = compileIgnore(g);
    if (!c.ok) return c;
    rules.push(c.value);
  }
  if (entries.length === 0) return { ok: false, error: "no watch globs" };

  const isIgnored = (absPath: string): boolean => {
    const segs = relative(cwd, absPath).split("/").filter((s) => s !== "" && s !== ".");
    const first = segs.findIndex((s) => s !== "..");
    const below = first < 0 ? [] : segs.slice(first);
    if (below.some((s) => ALWAYS.has(s))) return true;
    for (const rule of rules) {
      if (rule.kind === "segment" && below.some(rule.test)) return true;
      if (rule.kind === "relative" && prefixes(segs).some(rule.test)) return true;
      if (rule.kind === "absolute" && ancestors(absPath).some(rule.test)) return true;
    }
    return false;
  };

  const match = (absPath: string): string | null => {
    if (isIgnored(absPath)) return null;
    for (const e of entries) {
      const rel = relative(e.base, absPath);
      if (isOutside(rel)) continue;
      if (e.test === null ? true : rel !== "" && e.test(rel)) {
        return relative(cwd, absPath) || ".";
      }
    }
    return null;
  };

  return { ok: true, match, isIgnored, roots: entries.map((e) => e.root) };
}
