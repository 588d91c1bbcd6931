/**
 * Synchronous file-system helpers for the watcher's Worker (its loop does
 * nothing else, so blocking calls are fine there): list subdirectories, and
 * look inside a new directory for files created before it was watched.
 */

import { join } from "node:path";

/** Absolute paths of the subdirectories of `dir` (symlinks not followed); [] when unreadable. */
export function listDirs(dir: string): string[] {
  try {
    const out: string[] = [];
    for (const e of Deno.readDirSync(dir)) {
      if (e.isDirectory) out.push(join(dir, e.name));
    }
    return out;
  } catch {
    return [];
  }
}

/** Whether `path` is a directory (not a symlink to one); false when it is gone. */
export function isDir(path: string): boolean {
  try {
    return Deno.lstatSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** Matching paths found by `scanDir`: the first one and how many (up to the entry cap). */
export interface ScanResult {
  first: string | null;
  count: number;
}

/**
 * Walks `dir` (skipping ignored directories, visiting at most `maxEntries`
 * entries) and counts the entries for which `match` returns a path.
 */
export function scanDir(
  dir: string,
  match: (path: string) => string | null,
  isIgnored: (path: string) => boolean,
  maxEntries = 2000,
): ScanResult {
  const result: ScanResult = { first: null, count: 0 };
  const stack = [dir];
  let seen = 0;
  while (stack.length > 0 && seen < maxEntries) {
    const current = stack.pop() as string;
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(current)];
    } catch {
      continue;
    }
    for (const e of entries) {
      if (++seen > maxEntries) break;
      const path = join(current, e.name);
      if (isIgnored(path)) continue;
      if (e.isDirectory) stack.push(path);
      const rel = match(path);
      if (rel !== null) {
        result.first ??= rel;
        result.count++;
      }
    }
  }
  return result;
}

/**
 * File times come from the kernel's coarse clock, which can trail the wall clock by a tick
 * (4-10 ms): a file written just after `Date.now()` may carry an earlier mtime.
 */
export const MTIME_SLACK_MS = 20;

/**
 * Like `scanDir`, but counts only entries modified at or after `sinceMs`
 * (less `MTIME_SLACK_MS`; unreadable entries are skipped).
 */
export function scanModifiedSince(
  dir: string,
  match: (path: string) => string | null,
  isIgnored: (path: string) => boolean,
  sinceMs: number,
  maxEntries = 2000,
): ScanResult {
  const recent = (path: string) => {
    try {
      return (Deno.lstatSync(path).mtime?.getTime() ?? 0) >= sinceMs - MTIME_SLACK_MS;
    } catch {
      return false; // gone since it was listed
    }
  };
  return scanDir(
    dir,
    (path) => {
      const rel = match(path);
      return rel !== null && recent(path) ? rel : null;
    },
    isIgnored,
    maxEntries,
  );
}
