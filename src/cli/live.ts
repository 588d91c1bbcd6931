/**
 * The live view `up` shows on a terminal: one row per process with its step
 * (waiting, starting, ready, failed) and elapsed time, redrawn in place ten
 * times a second, ending with the same plain summary as the non-TTY output.
 */

import { styleText } from "node:util";
import type { UpStep } from "../protocol.ts";

interface Row {
  name: string;
  step: UpStep | "pending";
  message: string | null;
  since: number;
  doneAt: number | null;
}

const enc = new TextEncoder();

function write(text: string): void {
  const bytes = enc.encode(text);
  let off = 0;
  while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
}

function label(step: Row["step"]): string {
  switch (step) {
    case "pending":
    case "waiting":
      return styleText("dim", "waiting ");
    case "started":
    case "restarted":
      return styleText("yellow", "starting");
    case "unchanged":
    case "ready":
      return styleText("green", "ready   ");
    case "failed":
      return styleText("red", "failed  ");
    case "blocked":
      return styleText("red", "blocked ");
  }
}

/** In-place progress rows for `up` on a TTY. */
export class LiveView {
  readonly #rows: Row[];
  readonly #start = Date.now();
  readonly #timer: ReturnType<typeof setInterval>;
  #drawn = 0;
  #failures: string[] = [];

  constructor(names: string[]) {
    this.#rows = names.map((name) => ({
      name,
      step: "pending",
      message: null,
      since: Date.now(),
      doneAt: null,
    }));
    this.#timer = setInterval(() => this.#draw(), 100);
    this.#draw();
  }

  /** Records a step of a process. */
  update(name: string, step: UpStep, message: string | null): void {
    const row = this.#rows.find((r) => r.name === name);
    if (!row) return;
    if (step === "started" || step === "restarted") row.since = Date.now();
    row.step = step === "unchanged" ? "ready" : step;
    row.message = message;
    if (step === "ready" || step === "unchanged" || step === "failed" || step === "blocked") {
      row.doneAt = Date.now();
    }
    this.#draw();
  }

  /** Remembers a failure's details to print under the view at the end. */
  fail(name: string, message: string, details: string[]): void {
    this.#failures.push(
      `error: ${message}`,
      ...(details.length ? [`  last lines of ${name}:`] : []),
      ...details.map((l) => `    ${l}`),
    );
  }

  #draw(): void {
    const width = Math.max(...this.#rows.map((r) => r.name.length));
    const now = Date.now();
    const lines = this.#rows.map((r) => {
      const t = ((r.doneAt ?? now) -
        (r.step === "pending" || r.step === "waiting" ? this.#start : r.since)) / 1000;
      const msg = r.message ? `  ${styleText("dim", r.message)}` : "";
      return `  ${r.name.padEnd(width)}  ${label(r.step)}  ${t.toFixed(1).padStart(5)}s${msg}`;
    });
    const up = this.#drawn ? `\x1b[${this.#drawn}A` : "";
    write(up + lines.map((l) => `\x1b[2K${l}\n`).join(""));
    this.#drawn = lines.length;
  }

  /** Stops redrawing and prints collected failures. */
  finish(): void {
    clearInterval(this.#timer);
    this.#draw();
    for (const l of this.#failures) write(`${l}\n`);
  }
}
