/**
 * Finding a program on a PATH the way a spawn would: the first directory
 * that holds an executable file of that name. Used where a program must be
 * known to exist before it is started (the package manager of a
 * package.json; the shell that `setsid` will exec).
 */

/** The path of `cmd` in the first directory of `path` that has it as an executable file, or null. */
export function findExecutable(cmd: string, path: string | undefined): string | null {
  for (const dir of (path ?? "").split(":").filter(Boolean)) {
    const candidate = `${dir}/${cmd}`;
    try {
      const st = Deno.statSync(candidate);
      if (st.isFile && ((st.mode ?? 0o111) & 0o111) !== 0) return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}
