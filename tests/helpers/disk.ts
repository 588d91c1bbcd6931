/** Disk usage for tests and benchmarks that check a log's bound. */

/** Bytes of every file in `dir` (segments being deleted included); 0 when it does not exist yet. */
export function dirBytes(dir: string): number {
  let n = 0;
  try {
    for (const e of Deno.readDirSync(dir)) {
      try {
        n += Deno.statSync(`${dir}/${e.name}`).size;
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err; // rotated away since the listing
      }
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err; // not created yet
  }
  return n;
}
