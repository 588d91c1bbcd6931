/**
 * Tests of tests/helpers/procs.ts: the `/proc` and the `ps` paths agree on a
 * live tagged process group (pid, group, arguments, environment) and on a
 * zombie, and the `ps` parsers read macOS-style output.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import {
  alive,
  hasRun,
  parsePsInfo,
  parsePsWords,
  procfsProcs,
  type Procs,
  procs,
  psProcs,
} from "./procs.ts";

/** Both sources where both work: `/proc` exists only on Linux; procps spells `-E` as `e`. */
function sources(): [string, Procs][] {
  if (Deno.build.os === "linux") return [["procfs", procfsProcs], ["ps", psProcs(["e"])]];
  return [["ps", procs]];
}

Deno.test("procs: a tagged process group is found by pid, group, args and env", async () => {
  const tag = `AP_PROCS_TEST=${crypto.randomUUID()}`;
  const seconds = `${1000 + Math.floor(Math.random() * 9000)}.25`;
  const child = new Deno.Command("sleep", {
    args: [seconds],
    env: { AP_PROCS_TEST: tag.split("=")[1] },
    detached: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    for (const [name, via] of sources()) {
      const info = via.info(child.pid);
      equal(info?.pid, child.pid, name);
      equal(info?.pgid, child.pid, `${name}: detached means its own group`);
      ok(alive(child.pid, via), name);
      ok(via.pidsWithArgs([seconds]).includes(child.pid), `${name}: args`);
      deepEqual(via.pidsWithEnv(tag), [child.pid], `${name}: env`);
    }
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
  for (const [name, via] of sources()) {
    equal(via.info(child.pid), null, `${name}: a reaped pid is gone`);
    equal(alive(child.pid, via), false, name);
  }
});

Deno.test("procs: a zombie is listed in its group but not alive", async () => {
  // `sleep 0` exits at once; its parent became `sleep 30` by exec and never reaps it.
  const child = new Deno.Command("sh", {
    args: ["-c", "sleep 0 & exec sleep 30"],
    detached: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    for (const [name, via] of sources()) {
      const deadline = Date.now() + 10_000;
      let zombie: number | undefined;
      while (
        (zombie = via.groupMembers(child.pid).find((p) => p.stat.startsWith("Z"))?.pid) ===
          undefined
      ) {
        if (Date.now() > deadline) {
          throw new Error(`${name}: no zombie in ${JSON.stringify(via.groupMembers(child.pid))}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      ok(via.info(zombie) !== null, `${name}: the zombie still has a pid`);
      equal(alive(zombie, via), false, `${name}: a zombie is not alive`);
      ok(alive(child.pid, via), `${name}: its parent is`);
    }
  } finally {
    Deno.kill(-child.pid, "SIGKILL");
    await child.status;
  }
});

Deno.test("procs: ps parsers read macOS-style lines", () => {
  deepEqual(parsePsInfo("  501 Ss     501\n  777 Z+   501\n"), [
    { pid: 501, stat: "Ss", pgid: 501 },
    { pid: 777, stat: "Z+", pgid: 501 },
  ]);
  deepEqual(
    parsePsWords(
      "  88 /usr/bin/deno __daemon dev TERM=xterm AGENT_PROCS_TAG=t1\n bad\n  9 sleep 1\n",
    ),
    [
      { pid: 88, words: ["/usr/bin/deno", "__daemon", "dev", "TERM=xterm", "AGENT_PROCS_TAG=t1"] },
      { pid: 9, words: ["sleep", "1"] },
    ],
  );
  ok(hasRun(["deno", "__daemon", "dev"], ["__daemon", "dev"]));
  ok(!hasRun(["deno", "__daemon", "devx"], ["__daemon", "dev"]));
});
