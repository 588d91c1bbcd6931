/**
 * Small file-system helpers shared by the log writer and reader: listing the
 * segments of a log directory and reading or writing whole byte ranges.
 */

import { segmentNumber } from "./index_format.ts";

/** Segment numbers present in `dir` (any of out/err/idx), ascending; empty when `dir` is missing. */
export function listSegments(dir: string): number[] {
  const seen = new Set<number>();
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (!e.isFile) continue;
      const n = segmentNumber(e.name);
      if (n !== null) seen.add(n);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return [];
    throw e;
  }
  return [...seen].sort((a, b) => a - b);
}

/** Reads up to `buf.length` bytes at `position`; returns how many were read (fewer only at end of file). */
export function readAt(file: Deno.FsFile, position: number, buf: Uint8Array): number {
  file.seekSync(position, Deno.SeekMode.Start);
  let got = 0;
  while (got < buf.length) {
    const n = file.readSync(got === 0 ? buf : buf.subarray(got));
    if (n === null || n === 0) break;
    got += n;
  }
  return got;
}

/** Writes all of `bytes` to `file` (at its current position, or the end for append files). */
export function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    done += file.writeSync(done === 0 ? bytes : bytes.subarray(done));
  }
}

/** Size of a file in bytes, or 0 when it does not exist. */
export function fileSize(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0;
    throw e;
  }
}

/** Removes a file, ignoring one that is already gone. */
export function removeIfExists(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
