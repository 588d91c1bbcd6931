/** End-to-end: logs --tail/--stderr/--all/--follow, capture of odd output. */

import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { withEnv } from "./helpers/harness.ts";

Deno.test("logs shows stdout, --stderr, --tail and --all in time order", async () => {
  await withEnv("logs1", async (env) => {
    await env.ok([
      "run",
      "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done; sleep 1000",
      "--name",
      "a",
    ]);
    await env.ok(["wait", "a", "--until", "err5"]);
    equal(await env.ok(["logs", "a"]), "out1\nout2\nout3\nout4\nout5\n");
    equal(await env.ok(["logs", "a", "--stderr", "--tail", "2"]), "err4\nerr5\n");
    await env.ok(["run", "echo from-b; sleep 1000", "--name", "b"]);
    await env.ok(["wait", "b", "--until", "from-b"]);
    const all = (await env.ok(["logs", "--all"])).trimEnd().split("\n");
    deepStrictEqual(all.slice(-2), ["[a] err5", "[b] from-b"]);
    ok(all.indexOf("[a] out1") < all.indexOf("[a] err1"));
    const r = await env.cli(["logs", "missing"]);
    equal(r.code, 2);
  });
});

Deno.test("a process that printed nothing has an empty log (no files yet), not a missing one", async () => {
  await withEnv("logs-silent", async (env) => {
    await env.ok(["run", "--name", "quiet", "--", "sleep", "1000"]);
    const dir = `${env.stateDir}/logs/quiet`;
    equal(await Deno.stat(dir).then(() => "exists", () => "absent"), "absent");
    equal(await env.ok(["logs", "quiet"]), "");
    equal(await env.ok(["logs", "quiet", "--stderr", "--json"]), "");
    equal((await env.cli(["logs", "nobody"])).code, 2);
    await env.ok(["stop", "quiet"]);
    equal(await env.ok(["logs", "quiet"]), "", "stopped, still known, still empty");
  });
});

Deno.test("logs --follow streams new lines and stops after --lines or when the process ends", async () => {
  await withEnv("logs2", async (env) => {
    await env.ok([
      "run",
      "echo before; sleep 0.3; for i in 1 2 3; do echo tick$i; sleep 0.1; done",
      "--name",
      "t",
    ]);
    const follow = await env.ok(["logs", "t", "--follow", "--timeout", "20"]);
    equal(follow, "before\ntick1\ntick2\ntick3\n");
    await env.ok([
      "run",
      "i=0; while true; do i=$((i+1)); echo n$i; sleep 0.05; done",
      "--name",
      "loop",
    ]);
    const some = await env.ok([
      "logs",
      "loop",
      "--follow",
      "--tail",
      "0",
      "--lines",
      "3",
      "--timeout",
      "20",
    ]);
    equal(some.trimEnd().split("\n").length, 3);
    const t0 = performance.now();
    const timed = await env.cli(["logs", "loop", "--follow", "--tail", "0", "--timeout", "0.5"]);
    equal(timed.code, 0);
    ok(performance.now() - t0 < 5000);
  });
});

Deno.test("invalid UTF-8, a 1 MB line, CR progress output do not stop capture", async () => {
  await withEnv("logs3", async (env) => {
    const script = `${env.home}/odd.sh`;
    await Deno.writeTextFile(
      script,
      [
        "printf 'bad \\377\\376 bytes\\n'",
        "head -c 1048576 /dev/zero | tr '\\0' x; echo",
        "printf 'progress 10%%\\rprogress 50%%\\rprogress 100%%\\n'",
        "echo still-capturing",
        "sleep 1000",
      ].join("\n"),
    );
    await env.ok(["run", `sh ${script}`, "--name", "odd"]);
    await env.ok(["wait", "odd", "--until", "still-capturing"]);
    const lines = (await env.ok(["logs", "odd"])).split("\n");
    ok(lines.includes("bad \uFFFD\uFFFD bytes"), lines[0]);
    const xs = lines.filter((l) => /^x+$/.test(l)).join("");
    equal(xs.length, 1048576);
    ok(lines.includes("progress 100%"));
    ok(lines.includes("still-capturing"));
    match(await env.ok(["logs", "odd", "--tail", "1"]), /^still-capturing\n$/);
  });
});
