/**
 * Drives the real `agent-procs mcp` server (a child on stdio) with the
 * official SDK client: connect, call a tool, read its text and structured
 * result, count the daemon's open connections, and run a test body with a
 * server that is always closed.
 */

import { ok } from "node:assert/strict";
import { type CallToolResult, Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { type TestEnv, withEnv } from "./harness.ts";
import { sessionPaths } from "../../src/paths.ts";

/** The CLI entry point the server runs from. */
export const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A connected client and the way to shut the server down. */
export interface Session {
  client: Client;
  /** The server process's pid. */
  pid: number;
  stderr: () => string;
  close(): Promise<void>;
}

/** Starts the server for `env` (with `flags` after `mcp`) and connects the SDK client to it. */
export async function connect(env: TestEnv, flags: string[] = []): Promise<Session> {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "-A", "--quiet", MAIN, "mcp", ...flags],
    env: env.env(),
    cwd: env.home,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (d: Uint8Array | string) => {
    stderr += typeof d === "string" ? d : new TextDecoder().decode(d);
  });
  const client = new Client({ name: "agent-procs-test", version: "0.0.0" });
  try {
    await client.connect(transport);
  } catch (e) {
    await transport.close(); // the server child would outlive a failed handshake otherwise
    throw new Error(`mcp server did not connect: ${(e as Error).message}\nstderr: ${stderr}`, {
      cause: e,
    });
  }
  return { client, pid: transport.pid!, stderr: () => stderr, close: () => client.close() };
}

/** Calls a tool and returns its result (typed as a plain tool result). */
export async function call(
  s: Session,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return await s.client.callTool({ name, arguments: args });
}

/** The text content of a tool result. */
export function text(r: CallToolResult): string {
  return r.content.map((c: CallToolResult["content"][number]) => (c.type === "text" ? c.text : ""))
    .join("\n");
}

/** The structured content of a tool result (fails when there is none or it is not an object). */
export function data(r: CallToolResult): Record<string, unknown> {
  const sc = r.structuredContent;
  ok(
    typeof sc === "object" && sc !== null && !Array.isArray(sc),
    `no structured object in ${JSON.stringify(r)}`,
  );
  return sc as Record<string, unknown>;
}

/** Server-side ends of the connections to a session's daemon (from /proc/net/unix). */
export function daemonConnections(env: TestEnv): number {
  const socket = sessionPaths(env.session, {
    runtimeRoot: `${env.home}/run`,
    stateRoot: `${env.home}/state`,
  }).socket;
  return Deno.readTextFileSync("/proc/net/unix").split("\n").slice(1).filter((l) => {
    const f = l.trim().split(/\s+/);
    return f[7] === socket && f[5] === "03";
  }).length;
}

/** Runs `body` with a fresh env and a connected server; closes both; adds the server's stderr to a failure. */
export async function withServer(label: string, body: (env: TestEnv, s: Session) => Promise<void>) {
  await withEnv(label, async (env) => {
    const s = await connect(env);
    try {
      await body(env, s);
    } catch (e) {
      throw new Error(`${(e as Error).message}\nserver stderr:\n${s.stderr()}`, { cause: e });
    } finally {
      await s.close();
    }
  });
}
