/**
 * `send`: write to the stdin pipe of a process (one started with `--stdin`
 * or `stdin: pipe`): the words joined by spaces and a newline, then any keys
 * as the bytes a terminal would send, then (with `eof`) close the pipe.
 */

import { NoDaemon, request } from "../client/connect.ts";
import { CliError, notFound } from "../errors.ts";
import type { SendResult } from "../protocol.ts";
import { type OpContext, reqOpts } from "./context.ts";
import type { OptionValues } from "./convert.ts";
import type { SEND_KEYS, SEND_OPTIONS } from "./options.ts";
import { lazy } from "../lazy.ts";

/** Input of `send`: the process (name or id), the words, and the options. */
export type SendInput = { name: string; text: string[] } & OptionValues<typeof SEND_OPTIONS>;

/** The bytes of each key (there is no terminal: these are what one would send). */
export const KEYS: Readonly<Record<typeof SEND_KEYS[number], string>> = {
  enter: "\n",
  tab: "\t",
  esc: "\x1b",
  up: "\x1b[A",
  down: "\x1b[B",
  right: "\x1b[C",
  left: "\x1b[D",
  backspace: "\x7f",
  space: " ",
  "ctrl-c": "\x03",
  "ctrl-d": "\x04",
};

/** The text `send` writes for an input (throws a usage error for an unknown key or nothing to do). */
export function sendText(input: Omit<SendInput, "name">): string {
  let out = "";
  if (input.text.length) out = input.text.join(" ") + (input.noNewline ? "" : "\n");
  for (const k of input.key ?? []) {
    const name = k.toLowerCase();
    const bytes = name in KEYS ? KEYS[name as keyof typeof KEYS] : undefined;
    if (bytes === undefined) {
      throw new CliError(`send: unknown key ${JSON.stringify(k)}`, {
        hint: `keys: ${Object.keys(KEYS).join(", ")}`,
      });
    }
    out += bytes;
  }
  if (out === "" && !input.eof) {
    throw new CliError("send: nothing to send", {
      hint: "agent-procs send NAME TEXT... (or --key KEY, or --eof)",
    });
  }
  return out;
}

/** Sends to the process; exit 2 when it is unknown, 1 when it has no pipe or does not read. */
export async function send(input: SendInput, ctx: OpContext): Promise<SendResult> {
  const text = sendText(input);
  try {
    return await request(
      ctx.paths,
      { type: "send", target: input.name, text, eof: input.eof === true },
      reqOpts(ctx, { autostart: false, timeoutMs: 15_000 }),
    );
  } catch (e) {
    if (!(e instanceof NoDaemon)) throw e;
  }
  // No daemon: nothing runs, so nothing reads; still tell an unknown name (exit 2) apart.
  const { savedState } = await lazy("ops/saved_state.ts");
  const state = await savedState(ctx.paths);
  const rec = state.records.find((r) => r.spec.name === input.name || r.id === input.name);
  if (!rec) throw notFound(`no process named ${input.name}`);
  throw new CliError(`${rec.spec.name} is not running`, {
    hint: `start it again with: agent-procs restart ${rec.spec.name}`,
  });
}
