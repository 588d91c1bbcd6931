/**
 * The "did my change work?" tools over MCP: `status` rows carry the failure
 * digest, `wait` with `settle` judges the last burst (a tool error with the
 * digest on error), and `events` lists what happened.
 */

import { equal, match, ok } from "node:assert/strict";
import { pollUntil } from "./helpers/harness.ts";
import { call, data, text, withServer } from "./helpers/mcp.ts";

Deno.test("mcp: last_failure in status, settle verdicts, and events", async () => {
  await withServer("mcp-feedback", async (env, s) => {
    const py = "python3 -c \"import json; json.load(open('/nonexistent/cfg.json'))\"";
    ok(!(await call(s, "run", { cmd: py, name: "broken" })).isError);
    const row = await pollUntil(async () => {
      const st = data(await call(s, "status", { names: ["broken"] }));
      const p = (st.processes as { last_failure: { excerpt: string } | null }[])[0];
      return p?.last_failure ? p : null;
    }, { what: "broken's last_failure" });
    match(row.last_failure!.excerpt, /FileNotFoundError/);
    // status with names shows the failure under the table, as the CLI does.
    match(text(await call(s, "status", { names: ["broken"] })), /last failure of broken \(exit 1/);

    const settled = await call(s, "wait", {
      name: "broken",
      settle: true,
      quiet: 300,
      timeout: 20,
    });
    ok(settled.isError, "an error verdict is a tool error");
    match(text(settled), /^broken settled: error\n {2}Traceback/);
    equal((data(settled).settled as { verdict: string }).verdict, "error");

    ok(!(await call(s, "run", { cmd: "echo serving; sleep 1000", name: "fine" })).isError);
    const good = await call(s, "wait", { name: "fine", settle: true, quiet: 300, timeout: 20 });
    ok(!good.isError, text(good));
    match(text(good), /^fine settled: ok \(up \d+s\)$/);

    const evs = await call(s, "events", { names: ["broken"] });
    ok(!evs.isError, text(evs));
    const types = (data(evs).events as { type: string }[]).map((e) => e.type);
    equal(types.join(","), "spawned,exited");
    match(text(evs), /broken exited code=1 signal=- first_line=FileNotFoundError/);
    ok(env.daemonPid() !== null);
  });
});
