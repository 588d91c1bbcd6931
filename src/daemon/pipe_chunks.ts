/**
 * Reading a child's pipe with buffers sized to what it writes. Iterating a
 * Deno pipe stream keeps a fresh 64 KiB buffer in every pending read, so each
 * idle process held 128 KiB (stdout and stderr) for as long as it ran silent.
 * Here each read supplies its own buffer (a BYOB reader): small while the pipe
 * is quiet, growing while reads come back full, so a silent process costs a
 * few KiB and a flood still moves in large chunks.
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

/** The chunks of a byte stream (a child's pipe), each read into a buffer sized by `nextReadSize`. */
export async function* pipeChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader({ mode: "byob" });
  let size = MIN_READ_BYTES;
  try {
    while (true) {
      const { done, value } = await reader.read(new Uint8Array(size));
      if (done || !value) return;
      if (value.length > 0) yield value;
      size = nextReadSize(size, value.length);
    }
  } finally {
    reader.releaseLock();
  }
}
