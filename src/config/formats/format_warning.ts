/**
 * A warning about a config that was imported from another format (a field
 * that did not map), and its one-line form `FILE:LINE: message`. Tiny and
 * import-free but for path helpers, so presenters can use it on any path.
 */

import { shortPath } from "../paths.ts";

/** Something in a config that did not map, with its place. */
export interface ConfigWarning {
  /** Absolute path of the source file. */
  file: string;
  /** 1-based line, or null for the file as a whole. */
  line: number | null;
  message: string;
}

/** Formats a warning as `FILE:LINE: message` (file relative to `cwd` when shorter). */
export function formatWarning(w: ConfigWarning, cwd: string): string {
  const file = shortPath(w.file, cwd);
  return w.line === null ? `${file}: ${w.message}` : `${file}:${w.line}: ${w.message}`;
}
