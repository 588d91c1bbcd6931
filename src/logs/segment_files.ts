/**
 * The files of the segment a writer appends to (`out.N.log`, `err.N.log`,
 * `web.N.log` for the browser stream, `idx.N.bin`) and their sizes, which the disk bound is computed from;
 * rotation to segment N+1 and deletion of segments beyond `keep`.
 *
 * Deleting a 50 MiB file takes 5-10 ms on some file systems (ext4 with
 * `discard`), which would stall the daemon's event loop at every rotation
 * of a flood. So a big old segment is renamed away at once (readers stop
 * seeing it: `*.deleted` is not a segment name) and unlinked in the
 * background; while one such deletion is under way, the next is done at
 * once, so deletions never pile up. Unlinking is far faster than filling a
 * segment, so by the time the next rotation comes the space is free: the
 * bound holds, give or take what is written during one unlink. Small
 * segments are deleted at once (cheap, and a flood fills them in less
 * time than a background unlink may take). A leftover from a crash is
 * removed on the next open.
 *
 * Nothing is created before it is written: the directory, the index and
 * each stream's file appear with the first bytes that need them (a stream
 * file that already exists is opened at once). A process that never writes
 * to stderr (or the browser stream) has no such file, and a silent one no
 * directory: creating a file costs ~0.8 ms on this machine's file system
 * (ext4 without a journal), which made an `up` of 300 silent processes
 * spend a second creating 1,200 empty files, and each file descriptor
 * per process and segment is not free either.
 */

import type { SegmentUsage } from "./budget.ts";
import {
  HEADER_BYTES,
  segmentFiles,
  segmentNumber,
  STREAM_NOS,
  type StreamNo,
} from "./index_format.ts";
import { createIndex, FILE_OPTS } from "./resume.ts";
import { listSegments, removeIfExists, writeAll } from "./segments.ts";

interface DataFile {
  /** The open file, or null for one not created yet. */
  file: Deno.FsFile | null;
  size: number;
}

/** The open files of a log's newest segment. */
export class SegmentFiles {
  /** Segment number N. */
  seg: number;
  /** Sequence of the segment's first line. */
  base: number;
  readonly #dir: string;
  /** The index, or null until the first index record (then it is created with its header). */
  #idx: Deno.FsFile | null;
  #idxSize: number;
  /** Whether `dir` is known to exist. */
  #dirMade: boolean;
  readonly #data: [DataFile, DataFile, DataFile];
  #deleting: Promise<void> = Promise.resolve();
  #pendingDeletes = 0;

  /**
   * Opens segment `seg` of `dir` for appending; `idx` is its index, already open, or null for a
   * segment not created yet (then `dir` may not exist yet either).
   */
  constructor(dir: string, seg: number, base: number, idx: Deno.FsFile | null) {
    this.#dir = dir;
    this.seg = seg;
    this.base = base;
    this.#idx = idx;
    this.#dirMade = idx !== null;
    // A missing index counts as its header, which it will have once created.
    this.#idxSize = idx ? idx.statSync().size : HEADER_BYTES;
    const f = segmentFiles(seg);
    this.#data = idx
      ? [openData(`${dir}/${f.out}`), openData(`${dir}/${f.err}`), openData(`${dir}/${f.web}`)]
      : [{ file: null, size: 0 }, { file: null, size: 0 }, { file: null, size: 0 }];
  }

  /** Size of a stream file. */
  size(stream: StreamNo): number {
    return this.#data[stream].size;
  }

  /** The file of a stream (for reading back what it holds), opened (created) on first use. */
  file(stream: StreamNo): Deno.FsFile {
    const d = this.#data[stream];
    if (d.file) return d.file;
    this.#makeDir();
    d.file = Deno.openSync(`${this.#dir}/${segmentFiles(this.seg).data[stream]}`, FILE_OPTS);
    return d.file;
  }

  #makeDir(): void {
    if (this.#dirMade) return;
    Deno.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    this.#dirMade = true;
  }

  /** What counts against the bound when writing `stream`, with `unflushed` index bytes still to come. */
  usage(stream: StreamNo, unflushed: number): SegmentUsage {
    return {
      stream: this.#data[stream].size,
      other: Math.max(
        stream === 0 ? 0 : this.#data[0].size,
        stream === 1 ? 0 : this.#data[1].size,
        stream === 2 ? 0 : this.#data[2].size,
      ),
      index: this.#idxSize + unflushed,
    };
  }

  /** Appends bytes to a stream file. */
  append(stream: StreamNo, bytes: Uint8Array): void {
    writeAll(this.file(stream), bytes);
    this.#data[stream].size += bytes.length;
  }

  /** Appends block records to the index. */
  appendIndex(bytes: Uint8Array): void {
    if (!this.#idx) {
      this.#makeDir();
      this.#idx = createIndex(this.#dir, this.seg, this.base);
      this.#idxSize = this.#idx.statSync().size;
    }
    writeAll(this.#idx, bytes);
    this.#idxSize += bytes.length;
  }

  /**
   * Starts segment N+1 whose first line will be `nextSeq`, writes the
   * partial lines `carried` (per stream) at its start, and deletes segments
   * older than the newest `keep`.
   */
  rotate(
    nextSeq: number,
    carried: [Uint8Array, Uint8Array, Uint8Array],
    keep: number,
    background: boolean,
  ): void {
    const next = this.seg + 1;
    this.#makeDir();
    const idx = createIndex(this.#dir, next, nextSeq);
    this.#idx?.close();
    this.#idx = idx;
    this.#idxSize = idx.statSync().size;
    this.base = nextSeq;
    const paths = segmentFiles(next).data.map((name) => `${this.#dir}/${name}`);
    this.seg = next;
    for (const s of STREAM_NOS) {
      const d = this.#data[s];
      d.file?.close();
      removeIfExists(paths[s]);
      d.file = null;
      d.size = 0;
      if (carried[s].length) this.append(s, carried[s]);
    }
    const doomed: string[] = [];
    for (const n of listSegments(this.#dir)) {
      if (n > next - keep) continue;
      const old = segmentFiles(n);
      doomed.push(...[old.idx, ...old.data].map((name) => `${this.#dir}/${name}`));
    }
    this.#delete(doomed, background);
  }

  /**
   * Deletes old segment files: in the background when asked and no deletion
   * is under way (renamed first, so readers stop seeing them at once), else
   * at once, so at most one deleted segment is ever waiting for its unlink.
   */
  #delete(paths: string[], background: boolean): void {
    if (paths.length === 0) return;
    if (!background || this.#pendingDeletes > 0) {
      for (const p of paths) removeIfExists(p);
      return;
    }
    const renamed: string[] = [];
    for (const path of paths) {
      try {
        Deno.renameSync(path, `${path}${DELETED}`);
        renamed.push(`${path}${DELETED}`);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    this.#pendingDeletes++;
    this.#deleting = Promise.all(renamed.map((p) => Deno.remove(p).catch(() => undefined)))
      .then(() => {
        this.#pendingDeletes--;
      });
  }

  /** Resolves once segments deleted by rotations are gone from the disk. */
  deleted(): Promise<void> {
    return this.#deleting;
  }

  /** Re-reads the sizes from the files (after a failed write they may disagree). */
  resync(): void {
    try {
      for (const d of this.#data) if (d.file) d.size = d.file.statSync().size;
      if (this.#idx) this.#idxSize = this.#idx.statSync().size;
    } catch {
      // The file is gone; the next write fails again and is reported the same way.
    }
  }

  /** Closes the files. */
  close(): void {
    for (const f of [...this.#data.map((d) => d.file), this.#idx]) {
      try {
        f?.close();
      } catch {
        // Already closed by a rotation that failed half-way.
      }
    }
  }
}

/** Suffix of a segment file being deleted. */
const DELETED = ".deleted";

/** Removes what a crash left of deletions in `dir` (files renamed away but not unlinked). */
export function removeDeleted(dir: string): void {
  for (const e of Deno.readDirSync(dir)) {
    if (!e.name.endsWith(DELETED)) continue;
    if (segmentNumber(e.name.slice(0, -DELETED.length)) === null) continue;
    removeIfExists(`${dir}/${e.name}`);
  }
}

/** Opens a stream file that exists; a missing one stays unopened (size 0) until written. */
function openData(path: string): DataFile {
  try {
    const file = Deno.openSync(path, { ...FILE_OPTS, create: false });
    return { file, size: file.statSync().size };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    return { file: null, size: 0 };
  }
}
