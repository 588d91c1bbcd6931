/**
 * The stdin pipes of a session's processes (`stdin: pipe`, `run --stdin`):
 * one writer per process, bound to the incarnation it was opened for (a new
 * pipe at every spawn, dropped when that incarnation exits). `send` writes
 * through here; a write that the process does not take (pipe full) gives up
 * after a deadline instead of holding the request forever.
 */

import { messageOf } from "../errors.ts";

/** How long one `send` may wait for the process to take its bytes (ms). */
export const SEND_TIMEOUT_MS = 5000;

/** Outcome of a send. */
export type SendOutcome =
  | { ok: true; bytes: number; closed: boolean }
  | { ok: false; why: "no-pipe" | "closed" | "not-running" | "stuck" | "broken"; message: string };

interface Pipe {
  generation: number;
  writer: WritableStreamDefaultWriter<Uint8Array>;
  /** Set once `--eof` closed it (the incarnation keeps running). */
  closed: boolean;
  /** Writes are chained so two sends never interleave. */
  queue: Promise<unknown>;
}

/** The open stdin pipes, by process name. */
export class StdinPipes {
  readonly #pipes = new Map<string, Pipe>();

  /** Binds the stdin of incarnation `generation` of `name` (replacing an older one). */
  attach(name: string, generation: number, stream: WritableStream<Uint8Array>): void {
    this.detach(name);
    this.#pipes.set(name, { generation, writer: stream.getWriter(), closed: false, queue: P0 });
  }

  /** Drops the pipe of `name` (of `generation` only, when given): its incarnation exited. */
  detach(name: string, generation?: number): void {
    const p = this.#pipes.get(name);
    if (!p || (generation !== undefined && p.generation !== generation)) return;
    this.#pipes.delete(name);
    if (!p.closed) p.writer.close().catch(() => {/* the process is gone: nothing to flush */});
  }

  /** Whether `name` has an open pipe now. */
  has(name: string): boolean {
    const p = this.#pipes.get(name);
    return !!p && !p.closed;
  }

  /** Writes `bytes` to the stdin of `name`, then closes it when `eof`. */
  send(name: string, bytes: Uint8Array, eof: boolean, timeoutMs = SEND_TIMEOUT_MS) {
    const p = this.#pipes.get(name);
    if (!p) {
      return Promise.resolve<SendOutcome>({
        ok: false,
        why: "not-running",
        message: `${name} is not running`,
      });
    }
    if (p.closed) {
      return Promise.resolve<SendOutcome>({
        ok: false,
        why: "closed",
        message: `the stdin of ${name} was closed (--eof); it reopens when ${name} restarts`,
      });
    }
    if (eof) p.closed = true;
    const job = p.queue.then(() => write(p, bytes, eof, timeoutMs, name));
    p.queue = job.catch(() => {});
    return job;
  }

  /** Closes every pipe (daemon exit). */
  close(): void {
    for (const name of [...this.#pipes.keys()]) this.detach(name);
  }
}

const P0: Promise<unknown> = Promise.resolve();

async function write(
  p: Pipe,
  bytes: Uint8Array,
  eof: boolean,
  timeoutMs: number,
  name: string,
): Promise<SendOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<"stuck">((r) => timer = setTimeout(() => r("stuck"), timeoutMs));
  try {
    const work = (async () => {
      if (bytes.length) await p.writer.write(bytes);
      if (eof) await p.writer.close();
      return "done" as const;
    })();
    const r = await Promise.race([work, stuck]);
    if (r === "stuck") {
      work.catch(() => {/* settles once the process reads or exits */});
      return {
        ok: false,
        why: "stuck",
        message: `${name} did not read its stdin within ${timeoutMs / 1000}s (the pipe is full)`,
      };
    }
    return { ok: true, bytes: bytes.length, closed: eof };
  } catch (e) {
    return { ok: false, why: "broken", message: `cannot write to ${name}: ${messageOf(e)}` };
  } finally {
    clearTimeout(timer);
  }
}
