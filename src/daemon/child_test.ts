/**
 * Tests of the capture pumps on real children: every byte arrives once and in
 * order, through small writes and through full pipes (the read buffer grows
 * from 4 KiB to 64 KiB and is reused), on both streams.
 */

import { equal, ok } from "node:assert/strict";
import { defaultSpec } from "../model.ts";
import { MAX_READ_BYTES, spawnChild } from "./child.ts";

/** Runs `cmd`, copying each chunk as it arrives (a chunk is valid only during the call). */
async function capture(cmd: string): Promise<{ out: string; err: string; biggest: number }> {
  const spec = defaultSpec({ name: "c", cmd, cwd: "/" }, {
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
  });
  const parts: [Uint8Array[], Uint8Array[]] = [[], []];
  let biggest = 0;
  const r = spawnChild(spec, (fd, chunk) => {
    parts[fd].push(chunk.slice());
    biggest = Math.max(biggest, chunk.length);
  });
  if (!r.ok) throw new Error(r.message);
  const exit = await r.child.done;
  equal(exit.code, 0);
  const text = (xs: Uint8Array[]) => {
    const all = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
    let at = 0;
    for (const x of xs) {
      all.set(x, at);
      at += x.length;
    }
    return new TextDecoder().decode(all);
  };
  return { out: text(parts[0]), err: text(parts[1]), biggest };
}

Deno.test("capture: a burst through full pipes arrives whole, in order, in chunks of at most 64 KiB", async () => {
  const r = await capture("seq 1 200000; echo done >&2");
  const want = Array.from({ length: 200000 }, (_, i) => `${i + 1}\n`).join("");
  equal(r.out.length, want.length);
  ok(r.out === want, "stdout differs from seq's output");
  equal(r.err, "done\n");
  ok(r.biggest <= MAX_READ_BYTES, `a chunk of ${r.biggest} bytes`);
});

Deno.test("capture: small writes on both streams, interleaved", async () => {
  const r = await capture("for i in 1 2 3; do echo out$i; echo err$i >&2; done; printf tail");
  equal(r.out, "out1\nout2\nout3\ntail");
  equal(r.err, "err1\nerr2\nerr3\n");
});
