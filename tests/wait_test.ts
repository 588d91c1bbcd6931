/** End-to-end: wait --until / --exit / --ready, and run --ready. */

import { equal, match, ok } from "node:assert/strict";
import { withEnv } from "./helpers/harness.ts";

Deno.test("wait --until matches a line printed before the call", async () => {
  await withEnv("wait1", async (env) => {
    await env.ok(["run", "echo server listening on 8080; sleep 1000", "--name", "srv"]);
    await env.ok(["wait", "srv", "--until", "listening"]);
    equal(
      await env.ok(["wait", "srv", "--until", "listening on \\d+", "--regex"]),
      "server listening on 8080\n",
    );
  });
});

Deno.test("wait --until fails at once when the process exits without matching", async () => {
  await withEnv("wait2", async (env) => {
    await env.ok(["run", "echo nothing here; sleep 0.3; exit 1", "--name", "quitter"]);
    const t0 = performance.now();
    const r = await env.cli(["wait", "quitter", "--until", "never printed", "--timeout", "30"]);
    const ms = performance.now() - t0;
    equal(r.code, 1);
    match(r.stderr, /quitter (exited|is not running).*never printed/);
    ok(ms < 10_000, `took ${ms} ms`);
  });
});

Deno.test("wait times out with exit 1", async () => {
  await withEnv("wait3", async (env) => {
    await env.ok(["run", "sleep 1000", "--name", "quiet"]);
    const r = await env.cli(["wait", "quiet", "--until", "never", "--timeout", "0.5"]);
    equal(r.code, 1);
    match(r.stderr, /timeout/);
  });
});

Deno.test("wait --exit and --ready, and run --ready", async () => {
  await withEnv("wait4", async (env) => {
    await env.ok(["run", "sleep 0.2; exit 7", "--name", "job"]);
    equal(await env.ok(["wait", "job", "--exit"]), "exited with code 7\n");
    equal(await env.ok(["wait", "job", "--exit"]), "exited with code 7\n");
    const out = await env.ok([
      "run",
      "sleep 0.2; echo ready now; sleep 1000",
      "--name",
      "svc",
      "--ready",
      "ready now",
    ]);
    match(out, /^svc \(id: p\d+, pid: \d+\)\n$/);
    equal(await env.ok(["wait", "svc", "--ready"]), "svc is ready\n");
    const bad = await env.cli(["run", "echo boom; exit 2", "--name", "dies", "--ready", "never"]);
    equal(bad.code, 1);
    match(bad.stderr, /dies exited \(exit 2\)/);
    match(bad.stderr, /boom/);
    const usage = await env.cli(["wait", "svc"]);
    equal(usage.code, 1);
    match(usage.stderr, /exactly one of/);
  });
});
