/** Unit test of the real `readTail`: the last lines of one incarnation, from a real log. */

import { deepStrictEqual as eq } from "node:assert/strict";
import { LogWriter } from "../logs/writer.ts";
import { processLogDir, sessionPaths } from "../paths.ts";
import { incarnationTail } from "./deps.ts";

Deno.test("incarnationTail: the last n output lines of the newest incarnation, without annotations", () => {
  const dir = Deno.makeTempDirSync({ prefix: "ap-tail-" });
  try {
    const paths = sessionPaths("t", { stateRoot: dir, runtimeRoot: dir });
    const log = LogWriter.open(processLogDir(paths, "web"));
    const enc = new TextEncoder();
    log.write(0, enc.encode("old 1\nold 2\n"), 1);
    const tail = incarnationTail(paths);
    log.close();
    eq(tail("web", 1, 10), ["old 1", "old 2"]);
    const more = LogWriter.open(processLogDir(paths, "web"));
    for (let i = 0; i < 5000; i++) more.write(i % 2 as 0 | 1, enc.encode(`line ${i}\n`), 2);
    more.annotate("[agent-procs] Restarted", 2);
    more.write(0, enc.encode("last\n"), 2);
    more.close();
    eq(tail("web", 2, 4), ["line 4998", "line 4999", "last"]);
    eq(tail("nobody", 1, 10), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
