/**
 * Registers the agent-procs tools on an MCP server: name, description, typed
 * input and output schemas, hints, and a callback that runs the handler with
 * the request's cancellation signal and a progress heartbeat, turning every
 * outcome or error into a tool result (never a crash of the server).
 */

import type { CallToolResult, McpServer, ServerContext } from "@modelcontextprotocol/server";
import { z } from "zod";
import * as h from "./handlers.ts";
import * as s from "./schemas.ts";
import { type ToolOutcome, toolResult } from "./results.ts";

/** How often a long call reports progress (when the client asked for progress). */
export const HEARTBEAT_MS = 10_000;

/** Sends `notifications/progress` now and every `HEARTBEAT_MS` while a long call runs. */
function heartbeat(ctx: ServerContext): (message: string) => () => void {
  return (message) => {
    const token = ctx.mcpReq._meta?.progressToken;
    if (token === undefined) return () => {};
    const start = Date.now();
    const send = () =>
      void ctx.mcpReq.notify({
        method: "notifications/progress",
        params: {
          progressToken: token,
          progress: Math.round((Date.now() - start) / 1000),
          message,
        },
      }).catch(() => {});
    send();
    const timer = setInterval(send, HEARTBEAT_MS);
    return () => clearInterval(timer);
  };
}

/** Runs a handler for one call. */
function call<A>(
  serverSession: string | undefined,
  handler: (args: A, env: h.CallEnv) => Promise<ToolOutcome>,
  started?: (session: string, name: string) => void,
): (args: A, ctx: ServerContext) => Promise<CallToolResult> {
  return (args, ctx) =>
    toolResult(() =>
      handler(args, {
        serverSession,
        signal: ctx.mcpReq.signal,
        heartbeat: heartbeat(ctx),
        started,
      })
    );
}

const readOnly = { readOnlyHint: true, openWorldHint: false } as const;

/**
 * Registers every tool on `server`; `serverSession` is the server's
 * `--session`, if any; `started` hears of each process `run` or `up` starts.
 */
export function registerTools(
  server: McpServer,
  serverSession: string | undefined,
  started?: (session: string, name: string) => void,
): void {
  server.registerTool("run", {
    title: "Start a background process",
    description: "Start a shell command as a supervised background process (dev server, " +
      "watcher, worker). It keeps running after this call. With `ready`, returns only once " +
      "a line of its output contains that text (fails with its last lines otherwise).",
    inputSchema: z.object(s.runInput),
    outputSchema: z.object(s.runOutput),
    annotations: { destructiveHint: false, openWorldHint: false },
  }, call(serverSession, h.runTool, started));

  server.registerTool("stop", {
    title: "Stop processes",
    description: "Stop processes (SIGTERM to the group, SIGKILL after the grace period); " +
      "returns once they are gone. `all: true` stops every process of the session.",
    inputSchema: z.object(s.stopInput),
    outputSchema: z.object(s.stopOutput),
    annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
  }, call(serverSession, h.stopTool));

  server.registerTool("restart", {
    title: "Restart processes",
    description: "Restart processes (re-enables auto-restart, resets the restart count).",
    inputSchema: z.object(s.restartInput),
    outputSchema: z.object(s.processesOutput),
    annotations: { destructiveHint: true, openWorldHint: false },
  }, call(serverSession, h.restartTool));

  server.registerTool("send", {
    title: "Send input to a process",
    description: "Write to the stdin of a process started with `stdin` (run) or " +
      "`stdin: pipe` (config): `text` plus a newline (unless `no_newline`), then `key`s " +
      "(enter, tab, esc, up, down, ctrl-c, ...), then close it with `eof`. Use it to answer " +
      "a prompt that `status` shows as `awaiting_input`.",
    inputSchema: z.object(s.sendInput),
    outputSchema: z.object(s.sendOutput),
    annotations: { destructiveHint: false, openWorldHint: false },
  }, call(serverSession, h.sendTool));

  server.registerTool("status", {
    title: "Process status",
    description: "The session's processes: state, pid, exit code, restarts, readiness, URL, " +
      "and `awaiting_input` (the prompt a process waits at; answer it with `send`).",
    inputSchema: z.object(s.statusInput),
    outputSchema: z.object(s.processesOutput),
    annotations: readOnly,
  }, call(serverSession, h.statusTool));

  server.registerTool("logs", {
    title: "Read process output",
    description: "Recent output of a process (default: last 100 lines of stdout). Filter with " +
      "grep (substring or regex) and context lines, since (30s, 5m, restart, ...), stderr, " +
      "or all processes interleaved.",
    inputSchema: z.object(s.logsInput),
    outputSchema: z.object(s.logsOutput),
    annotations: readOnly,
  }, call(serverSession, h.logsTool));

  server.registerTool("wait", {
    title: "Wait for a process",
    description: "Block until a line of the process's current run contains `until`, until " +
      "it is `ready`, until it `exit`s, until its next `event` of the given types, or — after " +
      "an edit — until it has `settle`d, judging its last burst of output ok or error with a " +
      "digest of the error (exactly one). Fails at once if the process ends for good, " +
      "crash-loops or waits at a prompt first, or after `timeout` seconds (default 30). " +
      "Cancellable.",
    inputSchema: z.object(s.waitInput),
    outputSchema: z.object(s.waitOutput),
    annotations: readOnly,
  }, call(serverSession, h.waitTool));

  server.registerTool("events", {
    title: "Lifecycle events",
    description: "What happened to the session's processes, oldest first: spawned, ready, " +
      "exited (with the failure's first line), restarting, failed, stopped, file-changed, " +
      "crash-loop. Filter by names and since (30s, 5m, an ISO time). Needs no daemon.",
    inputSchema: z.object(s.eventsInput),
    outputSchema: z.object(s.eventsOutput),
    annotations: readOnly,
  }, call(serverSession, h.eventsTool));

  server.registerTool("port", {
    title: "Who holds a port",
    description: "Who listens on or leases a TCP port: the pid and command of the listener " +
      "(also programs agent-procs did not start) and the process and session that lease it, " +
      "or free. Use it on EADDRINUSE instead of changing working code.",
    inputSchema: z.object(s.portInput),
    outputSchema: z.object(s.portOutput),
    annotations: readOnly,
  }, call(serverSession, h.portTool));

  server.registerTool("up", {
    title: "Start a stack",
    description: "Start the processes of agent-procs.yaml in dependency order, each once what " +
      "it depends on is ready. Idempotent: unchanged running processes are left alone.",
    inputSchema: z.object(s.upInput),
    outputSchema: z.object(s.upOutput),
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, call(serverSession, h.upTool, started));

  server.registerTool("down", {
    title: "Stop a stack",
    description: "Stop the processes of agent-procs.yaml, dependents first, and forget them.",
    inputSchema: z.object(s.downInput),
    outputSchema: z.object(s.downOutput),
    annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
  }, call(serverSession, h.downTool));

  server.registerTool("init", {
    title: "Write agent-procs.yaml from another format",
    description: "Write agent-procs.yaml in the server's working directory from a Procfile, " +
      "process-compose.yaml, package.json (dev script) or deno.json (`from`, or found there). " +
      "Fields that do not map become comments and warnings. Refuses to overwrite without " +
      "`force`; `dry_run` returns the text only.",
    inputSchema: z.object(s.initInput),
    outputSchema: z.object(s.initOutput),
    annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
  }, call(serverSession, h.initTool));

  server.registerTool("export", {
    title: "Export the stack to another engine",
    description: "Turn agent-procs.yaml (or a Procfile, process-compose.yaml, package.json) " +
      "into a Docker Compose file, Kubernetes manifests or systemd user units. With `output`, " +
      "writes them into that directory; else returns their text. What the target cannot " +
      "express is a comment in the files and a warning.",
    inputSchema: z.object(s.exportInput),
    outputSchema: z.object(s.exportOutput),
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, call(serverSession, h.exportTool));

  server.registerTool("setup_agent", {
    title: "Set up agent clients",
    description: "Register agent-procs with the agent clients the project in the server's " +
      "working directory uses (.mcp.json, .cursor/, .vscode/, .codex/), install the skill, " +
      "and refresh a marked section in AGENTS.md/CLAUDE.md. Keeps other servers and comments; " +
      "idempotent; `dry_run` reports the changes only.",
    inputSchema: z.object(s.setupAgentInput),
    outputSchema: z.object(s.setupAgentOutput),
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, call(serverSession, h.setupAgentTool));
}
