/**
 * The input side of a session's processes (SPEC §16), owned by the
 * supervisor: the stdin pipes `send` writes to (`stdin.ts`) and the prompt
 * watch over every process's output (`prompts.ts`). The supervisor feeds it
 * each incarnation's spawn, output and exit; handlers and waits ask it.
 */

import type { ProcessSpec } from "../model.ts";
import type { Clock } from "./deps.ts";
import { type AwaitingInput, PromptWatch } from "./prompts.ts";
import { type SendOutcome, StdinPipes } from "./stdin.ts";

/** Stdin pipes and prompt watching of every process. */
export class ProcessInput {
  readonly #stdin = new StdinPipes();
  readonly #prompts: PromptWatch;

  /** `onPrompt(name, awaiting)` when a process starts (or stops) waiting at a prompt. */
  constructor(clock: Clock, onPrompt: (name: string, awaiting: AwaitingInput | null) => void) {
    this.#prompts = new PromptWatch(clock, onPrompt);
  }

  /** Incarnation `generation` of `name` was spawned (with its stdin, when it has a pipe). */
  spawned(name: string, generation: number, stdin: WritableStream<Uint8Array> | undefined): void {
    if (stdin) this.#stdin.attach(name, generation, stdin);
  }

  /** A chunk of its output. */
  output(name: string, generation: number, fd: 0 | 1, chunk: Uint8Array): void {
    this.#prompts.output(name, generation, fd, chunk);
  }

  /** It exited: its pipe closes; the question it asked last is kept. */
  exited(name: string, generation: number): void {
    this.#stdin.detach(name, generation);
    this.#prompts.ended(name, generation);
  }

  /** The prompt `name` waits at now, or null. */
  awaiting(name: string): AwaitingInput | null {
    return this.#prompts.awaiting(name);
  }

  /** The question incarnation `generation` of `name` asked last before it ended, or null. */
  askedAtEnd(name: string, generation: number): string | null {
    return this.#prompts.askedAtEnd(name, generation);
  }

  /** Writes to the stdin of the process with `spec` and closes it on `eof`; an answer ends its wait. */
  async send(spec: ProcessSpec, bytes: Uint8Array, eof: boolean): Promise<SendOutcome> {
    const name = spec.name;
    if (spec.stdin !== "pipe") {
      const how = spec.configPath ? "stdin: pipe in its config" : "--stdin";
      return { ok: false, why: "no-pipe", message: `${name} has no stdin (start it with ${how})` };
    }
    const out = await this.#stdin.send(name, bytes, eof);
    if (out.ok && out.bytes > 0) {
      this.#prompts.answered(name, bytes.includes(10) || bytes.includes(13));
    }
    return out;
  }

  /** Forgets a process. */
  forget(name: string): void {
    this.#stdin.detach(name);
    this.#prompts.forget(name);
  }

  /** Closes every pipe and timer (daemon exit). */
  close(): void {
    this.#stdin.close();
    this.#prompts.close();
  }
}
