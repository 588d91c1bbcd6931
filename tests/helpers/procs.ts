/**
 * Process facts for tests, on Linux and macOS: whether a pid is alive (and not
 * a zombie), its process group, the pids whose arguments or environment hold
 * a given word. Linux reads `/proc` (fast, no child process); every other OS
 * asks `ps`, whose output the pure `parsePs*` functions read. The tests of
 * this module run both paths on Linux (the environment one with procps'
 * `e` flag, which prints what macOS's `ps -E` prints).
 */

/** One process as `ps` or `/proc` describes it. */
export interface ProcInfo {
  pid: number;
  /** State letters (`S`, `R`, `Z`, `Ss+`, ...). */
  stat: string;
  pgid: number;
}

/** A source of process facts. */
export interface Procs {
  /** The process, or null when no such pid exists. */
  info(pid: number): ProcInfo | null;
  /** Every process of the group `pgid`. */
  groupMembers(pgid: number): ProcInfo[];
  /** Pids whose argument vector contains `args` as consecutive elements (split on spaces for `ps`). */
  pidsWithArgs(args: string[]): number[];
  /** Pids whose environment holds `NAME=VALUE` (same-user processes only on macOS). */
  pidsWithEnv(entry: string): number[];
}

const dec = new TextDecoder();

/** Parses `ps -o pid=,stat=,pgid=` lines. */
export function parsePsInfo(text: string): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || !/^\d+$/.test(f[0])) continue;
    out.push({ pid: Number(f[0]), stat: f[1], pgid: Number(f[2]) });
  }
  return out;
}

/** Parses `ps -o pid=,args=` (or `command=` with the environment appended) into pid and words. */
export function parsePsWords(text: string): { pid: number; words: string[] }[] {
  const out: { pid: number; words: string[] }[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 2 || !/^\d+$/.test(f[0])) continue;
    out.push({ pid: Number(f[0]), words: f.slice(1) });
  }
  return out;
}

/** True when `seq` occurs in `list` as consecutive elements. */
export function hasRun(list: string[], seq: string[]): boolean {
  outer: for (let i = 0; i + seq.length <= list.length; i++) {
    for (let j = 0; j < seq.length; j++) if (list[i + j] !== seq[j]) continue outer;
    return true;
  }
  return false;
}

function ps(args: string[]): string {
  const out = new Deno.Command("ps", { args, stdin: "null", stdout: "piped", stderr: "null" })
    .outputSync();
  return dec.decode(out.stdout);
}

/** Process facts from `ps` (macOS, the BSDs; also works on Linux with procps). */
export function psProcs(envArgs: string[] = ["-E"]): Procs {
  return {
    info(pid) {
      return parsePsInfo(ps(["-o", "pid=,stat=,pgid=", "-p", String(pid)]))[0] ?? null;
    },
    groupMembers(pgid) {
      return parsePsInfo(ps(["-A", "-o", "pid=,stat=,pgid="])).filter((p) => p.pgid === pgid);
    },
    pidsWithArgs(args) {
      return parsePsWords(ps(["-A", "-ww", "-o", "pid=,args="]))
        .filter((p) => hasRun(p.words, args)).map((p) => p.pid);
    },
    pidsWithEnv(entry) {
      return parsePsWords(ps([...envArgs, "-A", "-ww", "-o", "pid=,command="]))
        .filter((p) => p.words.includes(entry)).map((p) => p.pid);
    },
  };
}

function readProc(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

function numericDirs(): number[] {
  return [...Deno.readDirSync("/proc")].filter((e) => /^\d+$/.test(e.name)).map((e) =>
    Number(e.name)
  );
}

/** Process facts from Linux's `/proc`. */
export const procfsProcs: Procs = {
  info(pid) {
    const stat = readProc(`/proc/${pid}/stat`);
    if (stat === null) return null;
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, stat: f[0], pgid: Number(f[2]) };
  },
  groupMembers(pgid) {
    return numericDirs().map((pid) => procfsProcs.info(pid)).filter((p): p is ProcInfo =>
      p?.pgid === pgid
    );
  },
  pidsWithArgs(args) {
    return numericDirs().filter((pid) => {
      const cmd = readProc(`/proc/${pid}/cmdline`);
      return cmd !== null && hasRun(cmd.split("\0"), args);
    });
  },
  pidsWithEnv(entry) {
    return numericDirs().filter((pid) =>
      readProc(`/proc/${pid}/environ`)?.split("\0").includes(entry) ?? false
    );
  },
};

/** The process facts of this OS. */
export const procs: Procs = Deno.build.os === "linux" ? procfsProcs : psProcs();

/** True when `pid` exists and is not a zombie. */
export function alive(pid: number, via: Procs = procs): boolean {
  const p = via.info(pid);
  return p !== null && !p.stat.startsWith("Z");
}
