/**
 * Spawning and signalling children. Each process runs as `sh -c CMD` in its
 * own process group (pgid = pid), with its output pumped chunk by chunk to a
 * callback. When the shell exits, whatever is left of its group is terminated
 * so no grandchild outlives its process (and the pipes close).
 *
 * Capture never starves the daemon: a pipe read completes at once while the
 * pipe holds data, so a child that prints faster than the daemon stores (`yes`)
 * would keep the pump running without ever giving the event loop a turn, and
 * requests would wait for seconds. All pumps share a time slice
 * (`CAPTURE_SLICE_MS`); past it, a pump waits for a timer (`setTimeout(0)`,
 * about 1-2 ms), and meanwhile the full pipe blocks the child (backpressure)
 * instead of the daemon buffering. A timer is a full event-loop turn: every
 * pending request and every other pipe is served before capture resumes.
 * (`setImmediate` let one pipe run for 60 MB before the other got a chunk,
 * and a MessageChannel starved the other pipe entirely.)
 *
 * Each pump reads into one buffer of its own, reused from read to read, so
 * `onChunk`'s chunk is only valid during the call (see `pump`).
 *
 * The new group comes from the `setsid` program where there is one (Linux):
 * `setsid sh -c CMD`, spawned attached, calls setsid(2) and execs the shell
 * under the same pid. Deno's `detached: true` does the same with a hook
 * between fork and exec, which makes Rust fork the whole daemon instead of
 * using posix_spawn: the cost grows with the daemon's memory (1.8 ms a spawn
 * for a bare Deno, 5.9 ms with 80 MiB more; 1.2 ms either way through
 * `setsid`). Until the child has called setsid(2) its group does not exist;
 * `signalChild` then signals the pid itself.
 */
import type { ProcessSpec } from "../model.ts";
import type { ExitInfo } from "./lifecycle.ts";
import { MIN_READ_BYTES, nextReadSize } from "./pipe_chunks.ts";
import { findExecutable } from "../executables.ts";

/** A running child. */
export interface ChildHandle {
  pid: number;
  /** Resolves once the shell has exited and both pipes are drained (or given up on). */
  done: Promise<ExitInfo>;
  /** Its stdin, when the spec asks for a pipe (`stdin: pipe`). */
  stdin?: WritableStream<Uint8Array>;
}

/** Result of a spawn attempt. */
export type SpawnResult = { ok: true; child: ChildHandle } | { ok: false; message: string };

/** Signals a whole process group; returns false when it no longer exists. */
export function signalGroup(pgid: number, signal: Deno.Signal): boolean {
  try {
    Deno.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Children spawned through `setsid` that have not exited yet (their pid is still theirs). */
const unreaped = new Set<number>();

/**
 * Signals the group of a child this daemon started and has not reaped; before the child has made
 * its group (the instant after spawn), the child itself. False when neither exists.
 */
export function signalChild(pgid: number, signal: Deno.Signal): boolean {
  if (signalGroup(pgid, signal)) return true;
  if (!unreaped.has(pgid)) return false;
  try {
    Deno.kill(pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The `setsid` program, or null where there is none (then Deno's `detached` makes the group). */
let setsidPath: string | null | undefined;
function setsidProgram(): string | null {
  if (setsidPath !== undefined) return setsidPath;
  setsidPath = null;
  if (Deno.build.os !== "linux") return setsidPath;
  for (const p of ["/usr/bin/setsid", "/bin/setsid"]) {
    try {
      if (Deno.statSync(p).isFile) return setsidPath = p;
    } catch {
      // not here
    }
  }
  return setsidPath;
}

/** Where `sh` was found, by the PATH it was looked up on. */
const shells = new Map<string, string>();

/** `sh` on `path` (as Deno would resolve it for a spawn), or null. */
function findShell(path: string): string | null {
  const known = shells.get(path);
  if (known) return known;
  const found = findExecutable("sh", path);
  if (found) shells.set(path, found);
  return found;
}

/** True when some process of the group still exists. */
export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, "SIGCONT");
}

function timeout(ms: number): { promise: Promise<false>; cancel(): void } {
  let id: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<false>((resolve) => {
    id = setTimeout(() => resolve(false), ms);
  });
  return { promise, cancel: () => clearTimeout(id) };
}

/** Most capture work (ms) all pumps together do before the event loop gets a turn. */
export const CAPTURE_SLICE_MS = 4;

/** Start of the current capture slice, or -1 once a timer has run since (a new turn). */
let sliceStart = -1;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Reads `stream` into one buffer of its own, reused from read to read (a
 * BYOB reader): the default reader allocates a fresh 64 KiB buffer for every
 * read, which doubled the daemon's CPU per byte during a burst, and kept
 * 64 KiB waiting on every quiet pipe. The size follows the output
 * (`nextReadSize`: 1 KiB while quiet, ×4 up to 64 KiB while reads fill it).
 * So `onChunk` gets a view that is valid only during the call: whoever keeps
 * bytes must copy them (the log writer and the prompt watch do).
 */
async function pump(
  stream: ReadableStream<Uint8Array>,
  fd: 0 | 1,
  onChunk: (fd: 0 | 1, chunk: Uint8Array) => void,
): Promise<void> {
  const reader = stream.getReader({ mode: "byob" });
  try {
    let buf = new Uint8Array(MIN_READ_BYTES);
    for (;;) {
      const { value, done } = await reader.read(buf);
      if (done || !value) break;
      if (sliceStart < 0) {
        sliceStart = performance.now();
        // Runs once the event loop turns: the next chunk then starts a new slice.
        setTimeout(() => sliceStart = -1, 0);
      }
      onChunk(fd, value);
      // The read detached `buf`; its memory comes back as `value.buffer`, reused while the size
      // the output calls for stays the same (a flood keeps one 64 KiB buffer, a quiet pipe 1 KiB).
      const next = nextReadSize(value.buffer.byteLength, value.length);
      buf = next === value.buffer.byteLength ? new Uint8Array(value.buffer) : new Uint8Array(next);
      if (sliceStart >= 0 && performance.now() - sliceStart > CAPTURE_SLICE_MS) await nextTurn();
    }
  } catch {
    // The pipe broke (e.g. the group was killed mid-read): nothing more to read. Or a listener
    // threw: close the pipe, as leaving a loop over the stream would, so the child is not left
    // blocked on a pipe nobody reads.
    reader.cancel().catch(() => undefined);
  }
}

async function settle(pid: number, pumps: Promise<unknown>): Promise<void> {
  const drained = pumps.then(() => true);
  // Grandchildren left in the group would keep the pipes open: end them.
  signalGroup(pid, "SIGTERM");
  const t1 = timeout(1000);
  const ok = await Promise.race([drained, t1.promise]);
  t1.cancel();
  if (ok) return;
  signalGroup(pid, "SIGKILL");
  const t2 = timeout(1000);
  await Promise.race([drained, t2.promise]);
  t2.cancel();
}

/** Starts `sh -c spec.cmd` in its own process group with exactly `spec.env`. */
export function spawnChild(
  spec: ProcessSpec,
  onChunk: (fd: 0 | 1, chunk: Uint8Array) => void,
): SpawnResult {
  let child: Deno.ChildProcess;
  const setsid = setsidProgram();
  // `setsid` execs the shell itself (as `sh`, on the same PATH): look it up first, so a missing
  // one is a failed start, as it is when Deno spawns `sh` directly.
  const sh = setsid ? findShell(spec.env.PATH ?? "/usr/bin:/bin") : "sh";
  if (sh === null) {
    return { ok: false, message: `cannot start: sh not found on PATH ${spec.env.PATH}` };
  }
  try {
    child = new Deno.Command(setsid ?? sh, {
      args: setsid ? ["sh", "-c", spec.cmd] : ["-c", spec.cmd],
      cwd: spec.cwd,
      env: spec.env,
      clearEnv: true,
      stdin: spec.stdin === "pipe" ? "piped" : "null",
      stdout: "piped",
      stderr: "piped",
      detached: setsid === null,
    }).spawn();
  } catch (e) {
    const msg = e instanceof Deno.errors.NotFound
      ? `cannot start: working directory ${spec.cwd} or sh not found`
      : `cannot start: ${(e as Error).message}`;
    return { ok: false, message: msg };
  }
  const pid = child.pid;
  if (setsid) unreaped.add(pid);
  const pumps = Promise.all([pump(child.stdout, 0, onChunk), pump(child.stderr, 1, onChunk)]);
  const done = child.status.then(async (st): Promise<ExitInfo> => {
    unreaped.delete(pid);
    await settle(pid, pumps);
    return st.signal ? { code: null, signal: st.signal } : { code: st.code, signal: null };
  });
  const stdin = spec.stdin === "pipe" ? child.stdin : undefined;
  return { ok: true, child: { pid, done, ...(stdin ? { stdin } : {}) } };
}
