/**
 * End-to-end test of `mcp --stop-on-exit`: closing the client's stdin stops
 * what the server started (including a later incarnation) and nothing else.
 */

import { equal, ok } from "node:assert/strict";
import { pollUntil, withEnv } from "./helpers/harness.ts";
import { call, connect } from "./helpers/mcp.ts";

Deno.test("mcp --stop-on-exit: the client going away stops what it started, nothing else", async () => {
  await withEnv("mcp-exit", async (env) => {
    await env.ok(["run", "--name", "mine-not", "sleep 120"]);
    const mcp = await connect(env, ["--stop-on-exit"]);
    const serverPid = mcp.pid;
    try {
      const r = await call(mcp, "run", { cmd: "sleep 120", name: "via-mcp" });
      ok(!r.isError, JSON.stringify(r));
      // A later incarnation (restarted from the CLI) is still "started through the server".
      await env.ok(["restart", "via-mcp"]);
    } finally {
      await mcp.close(); // closes the server's stdin
    }
    await pollUntil(async () => (await env.proc("via-mcp")).state === "stopped", {
      what: "via-mcp to be stopped",
      seen: () => env.proc("via-mcp"),
    });
    equal((await env.proc("mine-not")).state, "running");
    await pollUntil(() => {
      try {
        Deno.kill(serverPid, "SIGCONT");
        return false;
      } catch {
        return true;
      }
    }, { what: "the MCP server to exit" });
  });
});

Deno.test("mcp --stop-on-exit: a server ended with SIGTERM still stops what it started", async () => {
  await withEnv("mcp-term", async (env) => {
    const mcp = await connect(env, ["--stop-on-exit"]);
    const serverPid = mcp.pid;
    try {
      const r = await call(mcp, "run", { cmd: "sleep 120", name: "via-mcp" });
      ok(!r.isError, JSON.stringify(r));
      Deno.kill(serverPid, "SIGTERM");
      await pollUntil(async () => (await env.proc("via-mcp")).state === "stopped", {
        what: "via-mcp to be stopped after SIGTERM",
        seen: () => env.proc("via-mcp"),
      });
    } finally {
      await mcp.close();
    }
  });
});
