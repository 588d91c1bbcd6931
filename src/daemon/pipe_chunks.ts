/**
 * The size of a child's pipe reads, following what it writes (pure).
 * Iterating a Deno pipe stream keeps a fresh 64 KiB buffer in every pending
 * read, so each idle process held 128 KiB (stdout and stderr) for as long as
 * it ran silent. The capture pump (`child.ts`) reads into its own buffer of
 * this size instead: small while the pipe is quiet, growing while reads come
 * back full, so a silent process costs a few KiB and a flood still moves in
 * large chunks (through one reused buffer).
 */

/** Buffer of a read after a quiet one. */
export const MIN_READ_BYTES = 1024;
/** Largest buffer one read gets. */
export const MAX_READ_BYTES = 64 * 1024;

/**
 * Size of the next read's buffer, after a read of `got` bytes into `size`
 * (pure): four times bigger after a full read, else about twice what came.
 */
export function nextReadSize(size: number, got: number): number {
  if (got >= size) return Math.min(size * 4, MAX_READ_BYTES);
  let next = MIN_READ_BYTES;
  while (next < got * 2 && next < MAX_READ_BYTES) next *= 2;
  return next;
}
