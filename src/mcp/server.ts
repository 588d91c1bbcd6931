/**
 * The MCP server of `agent-procs mcp`: the official SDK's (v2,
 * `@modelcontextprotocol/server`) `McpServer` on its stdio transport, with the
 * agent-procs tools. Stdout carries the protocol, so nothing else may write
 * there. The server ends when the client closes stdin (the v2 transport
 * closes itself at end of input); with `--stop-on-exit`, SIGTERM, SIGINT and
 * SIGHUP end it the same way, so what it started is still stopped.
 */

import { McpServer } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { VERSION } from "../version.ts";
import { registerTools } from "./tools.ts";
import { StartedHere } from "./lifetime.ts";

/** Builds the server with every tool registered (not yet connected). */
export function createServer(
  serverSession: string | undefined,
  started?: StartedHere,
): McpServer {
  const server = new McpServer(
    { name: "agent-procs", version: VERSION },
    {
      instructions: "agent-procs supervises long-running processes (dev servers, watchers, " +
        "workers) in a per-session background daemon. Start them with `run` (or `up` for an " +
        "agent-procs.yaml stack), then use `wait`, `logs`, `status`, `restart` and `stop`.",
    },
  );
  registerTools(server, serverSession, started && ((s, n) => started.add(s, n)));
  return server;
}

/**
 * Serves MCP on stdin/stdout until the client goes away; with `stopOnExit`,
 * then stops the processes started through it.
 */
export async function serveStdio(
  serverSession: string | undefined,
  stopOnExit = false,
): Promise<void> {
  // A stray console.log would corrupt the protocol stream: send it to stderr.
  console.log = console.error;
  console.info = console.error;
  const started = stopOnExit ? new StartedHere() : undefined;
  const server = createServer(serverSession, started);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  const onEnd = () => void server.close();
  // A client that ends the server with a signal instead of closing stdin: still clean up.
  const signals = stopOnExit ? (["SIGTERM", "SIGINT", "SIGHUP"] as const) : [];
  for (const sig of signals) Deno.addSignalListener(sig, onEnd);
  await server.connect(transport);
  await closed;
  await started?.stopAll((line) => console.error(line));
  for (const sig of signals) Deno.removeSignalListener(sig, onEnd);
}
