/**
 * End-to-end test of `mcp --stop-on-exit`: closing the client's stdin stops
 * what the server started (including a later incarnation) and nothing else.
 */

import { equal, ok } from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { pollUntil, withEnv } from "./helpers/harness.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

Deno.test("mcp --stop-on-exit: the client going away stops what it started, nothing else", async () => {
  await withEnv("mcp-exit", async (env) => {
    await env.ok(["run", "--name", "mine-not", "sleep 120"]);
    const transport = new StdioClientTransport({
      command: Deno.execPath(),
      args: ["run", "-A", "--quiet", MAIN, "mcp", "--stop-on-exit"],
      env: env.env(),
      cwd: env.home,
      stderr: "pipe",
    });
    const client = new Client({ name: "agent-procs-test", version: "0.0.0" });
    await client.connect(transport);
    const serverPid = transport.pid!;
    try {
      const r = await client.callTool({
        name: "run",
        arguments: { cmd: "sleep 120", name: "via-mcp" },
      }) as CallToolResult;
      ok(!r.isError, JSON.stringify(r));
      // A later incarnation (restarted from the CLI) is still "started through the server".
      await env.ok(["restart", "via-mcp"]);
    } finally {
      await client.close(); // closes the server's stdin
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
    const transport = new StdioClientTransport({
      command: Deno.execPath(),
      args: ["run", "-A", "--quiet", MAIN, "mcp", "--stop-on-exit"],
      env: env.env(),
      cwd: env.home,
      stderr: "pipe",
    });
    const client = new Client({ name: "agent-procs-test", version: "0.0.0" });
    await client.connect(transport);
    const serverPid = transport.pid!;
    try {
      const r = await client.callTool({
        name: "run",
        arguments: { cmd: "sleep 120", name: "via-mcp" },
      }) as CallToolResult;
      ok(!r.isError, JSON.stringify(r));
      Deno.kill(serverPid, "SIGTERM");
      await pollUntil(async () => (await env.proc("via-mcp")).state === "stopped", {
        what: "via-mcp to be stopped after SIGTERM",
        seen: () => env.proc("via-mcp"),
      });
    } finally {
      await client.close();
    }
  });
});
