/**
 * Prompt watching for every process (SPEC §16): keeps the unterminated tail
 * of each stream of the current incarnation and the time of its last byte,
 * and asks the pure detector (`digest/prompt.ts`) whether it is a question
 * that waits. It looks on output, and arms one timer only while the tail
 * looks like a question and output is recent, so an idle daemon never polls.
 * New output ends the wait; the end of an incarnation remembers the question
 * it asked last, if any (a program that read end-of-file from /dev/null).
 */

import { PROMPT_SILENCE_MS, promptText } from "../digest/prompt.ts";
import type { Clock, TimerId } from "./deps.ts";

/** A process waiting at a prompt: the question, and since when (ms since the epoch). */
export interface AwaitingInput {
  prompt: string;
  since: number;
  generation: number;
}

/** Bytes of a stream's unterminated tail kept (a question is short). */
const TAIL_BYTES = 2048;

interface Watch {
  generation: number;
  tails: [Uint8Array, Uint8Array];
  /** The stream that printed last. */
  last: 0 | 1;
  lastByteAt: number;
  timer: TimerId | undefined;
  awaiting: AwaitingInput | null;
}

const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();

function append(tail: Uint8Array, chunk: Uint8Array): Uint8Array {
  const nl = chunk.lastIndexOf(10);
  const rest = nl < 0 ? chunk : chunk.subarray(nl + 1);
  const base = nl < 0 ? tail : EMPTY;
  if (base.length === 0) return rest.length > TAIL_BYTES ? rest.slice(-TAIL_BYTES) : rest.slice();
  const out = new Uint8Array(base.length + rest.length);
  out.set(base);
  out.set(rest, base.length);
  return out.length > TAIL_BYTES ? out.slice(-TAIL_BYTES) : out;
}

/** The question the tails ask (the stream that printed last first), or null. */
function question(w: Watch): string | null {
  const order = w.last === 0 ? [0, 1] as const : [1, 0] as const;
  for (const fd of order) {
    const t = w.tails[fd];
    const p = t.length ? promptText(decoder.decode(t)) : null;
    if (p) return p;
  }
  return null;
}

/** The prompt watch of a session's processes. */
export class PromptWatch {
  readonly #watches = new Map<string, Watch>();
  readonly #endedAt = new Map<string, { generation: number; prompt: string }>();

  /** `onChange(name, awaiting)` when a process starts or stops waiting at a prompt. */
  constructor(
    private readonly clock: Clock,
    private readonly onChange: (name: string, awaiting: AwaitingInput | null) => void,
  ) {}

  /** A chunk of output of incarnation `generation` of `name`. */
  output(name: string, generation: number, fd: 0 | 1, chunk: Uint8Array): void {
    let w = this.#watches.get(name);
    if (!w || w.generation !== generation) {
      if (w) this.#drop(name, w);
      w = {
        generation,
        tails: [EMPTY, EMPTY],
        last: fd,
        lastByteAt: 0,
        timer: undefined,
        awaiting: null,
      };
      this.#watches.set(name, w);
    }
    w.tails[fd] = append(w.tails[fd], chunk);
    w.last = fd;
    w.lastByteAt = this.clock.now();
    if (w.awaiting) {
      w.awaiting = null;
      this.onChange(name, null);
    }
    if (question(w) === null) {
      this.clock.clearTimeout(w.timer);
      w.timer = undefined;
    } else if (w.timer === undefined) {
      this.#arm(name, w, PROMPT_SILENCE_MS);
    }
  }

  /**
   * Something was sent to the stdin of `name`: it no longer waits. Text that
   * ends a line ends the question too (a terminal would have echoed it); a
   * partial answer leaves the question, to be seen again after the silence.
   */
  answered(name: string, endsLine: boolean): void {
    const w = this.#watches.get(name);
    if (!w) return;
    w.lastByteAt = this.clock.now();
    if (endsLine) w.tails = [EMPTY, EMPTY];
    if (w.awaiting) {
      w.awaiting = null;
      this.onChange(name, null);
    }
    this.clock.clearTimeout(w.timer);
    w.timer = undefined;
    if (question(w) !== null) this.#arm(name, w, PROMPT_SILENCE_MS);
  }

  /** Incarnation `generation` of `name` ended: stop watching it, keep the question it asked last. */
  ended(name: string, generation: number): void {
    const w = this.#watches.get(name);
    if (!w || w.generation !== generation) return;
    const prompt = question(w);
    if (prompt) this.#endedAt.set(name, { generation, prompt });
    this.#drop(name, w);
  }

  /** Where `name` waits now, or null. */
  awaiting(name: string): AwaitingInput | null {
    return this.#watches.get(name)?.awaiting ?? null;
  }

  /** The question incarnation `generation` of `name` asked last before it ended, or null. */
  askedAtEnd(name: string, generation: number): string | null {
    const e = this.#endedAt.get(name);
    return e && e.generation === generation ? e.prompt : null;
  }

  /** Forgets a process. */
  forget(name: string): void {
    const w = this.#watches.get(name);
    if (w) this.#drop(name, w);
    this.#endedAt.delete(name);
  }

  /** Cancels every timer (daemon exit). */
  close(): void {
    for (const [name, w] of [...this.#watches]) this.#drop(name, w);
  }

  #drop(name: string, w: Watch): void {
    this.clock.clearTimeout(w.timer);
    w.timer = undefined;
    this.#watches.delete(name);
    if (w.awaiting) {
      w.awaiting = null;
      this.onChange(name, null);
    }
  }

  /** One timer: at the end of the silence, look again (re-armed if output came meanwhile). */
  #arm(name: string, w: Watch, ms: number): void {
    w.timer = this.clock.setTimeout(() => {
      w.timer = undefined;
      if (this.#watches.get(name) !== w) return;
      const silent = this.clock.now() - w.lastByteAt;
      if (silent < PROMPT_SILENCE_MS) return this.#arm(name, w, PROMPT_SILENCE_MS - silent);
      const prompt = question(w);
      if (!prompt) return;
      w.awaiting = { prompt, since: w.lastByteAt, generation: w.generation };
      this.onChange(name, w.awaiting);
    }, ms);
  }
}
