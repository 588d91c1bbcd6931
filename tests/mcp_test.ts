/**
 * End-to-end tests of `agent-procs mcp`: the real server started as a child
 * on stdio, driven by the official SDK client. They list the tools, drive a
 * real process through run → wait → logs (grep) → status → stop, check that
 * errors come back as tool errors with the CLI's messages, and cancel a wait
 * while watching the daemon's side of its connection go away.
 */

import { deepEqual, match, ok, rejects } from "node:assert/strict";
import type { Progress, Tool } from "@modelcontextprotocol/client";
import { pollUntil } from "./helpers/harness.ts";
import { EXIT_CODE_KEY } from "../src/mcp/results.ts";
import { call, daemonConnections, data, text, withServer } from "./helpers/mcp.ts";

const TICKER = "i=0; while true; do i=$((i+1)); echo tick $i; " +
  "if [ $i = 3 ]; then echo ready-now; fi; sleep 0.2; done";

Deno.test("mcp: lists typed tools and drives run → wait → logs → status → stop", async () => {
  await withServer("mcp", async (env, s) => {
    const { tools }: { tools: Tool[] } = await s.client.listTools();
    deepEqual(tools.map((t) => t.name).sort(), [
      "down",
      "events",
      "export",
      "init",
      "logs",
      "port",
      "restart",
      "run",
      "send",
      "setup_agent",
      "status",
      "stop",
      "up",
      "wait",
    ]);
    const run = tools.find((t) => t.name === "run")!;
    deepEqual(run.inputSchema.required, ["cmd"]);
    const props = run.inputSchema.properties as Record<
      string,
      { type?: string; description?: string }
    >;
    deepEqual(props.port.type, "integer");
    // The SDK takes descriptions from zod's own JSON Schema (zod >= 4.2); older zod drops them.
    deepEqual(props.cmd.description, "shell command, run as `sh -c CMD`");
    ok(tools.every((t) => t.outputSchema), "every tool declares an output schema");

    const started = await call(s, "run", { cmd: TICKER, name: "ticker" });
    ok(!started.isError, text(started));
    match(text(started), /^ticker \(id: p\d+, pid: \d+\)$/);
    const proc = data(started).process as { name: string; state: string; pid: number };
    deepEqual([proc.name, proc.state], ["ticker", "running"]);

    const waited = await call(s, "wait", { name: "ticker", until: "ready-now", timeout: 20 });
    ok(!waited.isError, text(waited));
    deepEqual(text(waited), "ready-now");
    deepEqual(data(waited).kind, "matched");

    const logs = await call(s, "logs", { name: "ticker", grep: "tick 2", context: 1 });
    ok(!logs.isError, text(logs));
    deepEqual(text(logs), "tick 1\ntick 2\ntick 3");
    const cli = await env.ok(["logs", "ticker", "--grep", "tick 2", "--context", "1"]);
    deepEqual(text(logs) + "\n", cli, "the tool's text is what the CLI prints");
    const lines = data(logs).lines as { text: string; context: boolean }[];
    deepEqual(lines.map((l) => [l.text, l.context]), [
      ["tick 1", true],
      ["tick 2", false],
      ["tick 3", true],
    ]);

    const status = await call(s, "status", {});
    const rows = data(status).processes as { name: string; state: string; pid: number }[];
    deepEqual(rows.map((r) => [r.name, r.state, r.pid]), [["ticker", "running", proc.pid]]);
    match(text(status), /^NAME +PID +STATE +EXIT +UPTIME\nticker +\d+ +running +- +\d+s$/);

    const stopped = await call(s, "stop", { names: ["ticker"] });
    deepEqual([stopped.isError, text(stopped)], [undefined, "stopped ticker"]);
    deepEqual(data(stopped), { stopped: ["ticker"] });
    deepEqual((await env.proc("ticker")).state, "stopped");
  });
});

Deno.test("mcp: errors are tool errors with the CLI's messages; the server keeps serving", async () => {
  await withServer("mcp-err", async (env, s) => {
    await call(s, "run", { cmd: "sleep 30", name: "idle" });
    for (
      const [tool, args, argv] of [
        ["stop", { names: ["nope"] }, ["stop", "nope"]],
        ["status", { names: ["nope"] }, ["status", "nope"]],
        ["logs", { name: "nope" }, ["logs", "nope"]],
        ["wait", { name: "idle" }, ["wait", "idle"]],
        ["run", { cmd: "true", name: "x", cwd: "/no/such/dir" }, [
          "run",
          "--cwd",
          "/no/such/dir",
          "true",
        ]],
      ] as const
    ) {
      const r = await call(s, tool, args);
      const cli = await env.cli([...argv]);
      ok(r.isError, `${tool} should fail: ${text(r)}`);
      deepEqual(text(r) + "\n", cli.stderr, `${tool}: same message as the CLI`);
      deepEqual(r._meta?.[EXIT_CODE_KEY], cli.code, `${tool}: same exit code as the CLI`);
    }
    const bad = await call(s, "run", { cmd: "true", port: 70000 });
    ok(bad.isError);
    match(text(bad), /^Input validation error: Invalid arguments for tool run: port: Too big/);
    // An unknown tool is a protocol error (-32602, invalid params), not a tool result.
    await rejects(() => call(s, "nope", {}), (e: Error & { code?: number }) => {
      deepEqual([e.code, e.message], [-32602, "Tool nope not found"]);
      return true;
    });
    const st = await call(s, "status", { names: ["idle"] });
    deepEqual((data(st).processes as { state: string }[])[0].state, "running");
  });
});

Deno.test("mcp: a cancelled wait ends at once and releases its daemon connection", async () => {
  await withServer("mcp-cancel", async (env, s) => {
    await call(s, "run", { cmd: "sleep 60", name: "quiet" });
    await pollUntil(() => daemonConnections(env) === 0, {
      what: "no open daemon connections",
      seen: () => daemonConnections(env),
    });
    const ac = new AbortController();
    const began = Date.now();
    const progress: string[] = [];
    const pending = s.client.callTool(
      { name: "wait", arguments: { name: "quiet", until: "never printed", timeout: 60 } },
      {
        signal: ac.signal,
        timeout: 120_000,
        onprogress: (p: Progress) => progress.push(p.message ?? ""),
      },
    );
    await pollUntil(() => progress.length > 0, { what: "a progress notification" });
    deepEqual(progress[0], "waiting for quiet");
    await pollUntil(() => daemonConnections(env) === 1, {
      what: "the wait's connection to the daemon",
      seen: () => daemonConnections(env),
    });
    ac.abort();
    await rejects(() => pending);
    await pollUntil(() => daemonConnections(env) === 0, {
      what: "the daemon side of the cancelled wait to close",
      seen: () => daemonConnections(env),
    });
    ok(Date.now() - began < 30_000, "cancelled long before the wait's own timeout");
    const st = await call(s, "status", { names: ["quiet"] });
    deepEqual(text(st).split("\n")[1].split(/\s+/)[2], "running");
  });
});

const STACK = `
processes:
  api:
    cmd: echo api listening; sleep 1000
    ready: api listening
  web:
    cmd: echo web up; sleep 1000
    depends_on: [api]
`;

Deno.test("mcp: up, restart and down a stack; a failed up is a tool error", async () => {
  await withServer("mcp-up", async (env, s) => {
    const dir = `${env.home}/proj`;
    await Deno.mkdir(`${dir}/bad`, { recursive: true });
    await Deno.writeTextFile(`${dir}/agent-procs.yaml`, STACK);
    await Deno.writeTextFile(
      `${dir}/bad/agent-procs.yaml`,
      "processes:\n  bad:\n    cmd: echo boom; exit 3\n    ready: never printed\n",
    );
    const config = `${dir}/agent-procs.yaml`;

    const up = await call(s, "up", { config });
    ok(!up.isError, text(up));
    match(text(up), /^started api \(id: p\d+, pid: \d+\)$/m);
    match(text(up), /^api is ready$/m);
    match(text(up), /^started web \(id: p\d+, pid: \d+\)$/m);
    match(text(up), /\nall processes started$/);
    const result = data(up) as { processes: { name: string }[]; failed: string[] };
    deepEqual(result.processes.map((p) => p.name).sort(), ["api", "web"]);
    deepEqual(result.failed, []);

    const restarted = await call(s, "restart", { names: ["web"] });
    ok(!restarted.isError, text(restarted));
    match(text(restarted), /^restarted web \(id: p\d+, pid: \d+\)$/);

    const failed = await call(s, "up", { config: `${dir}/bad/agent-procs.yaml` });
    ok(failed.isError, text(failed));
    match(text(failed), /^error: failed: bad$/m);
    deepEqual((data(failed) as { failed: string[] }).failed, ["bad"]);

    const down = await call(s, "down", { config });
    ok(!down.isError, text(down));
    deepEqual((data(down) as { stopped: string[] }).stopped.sort(), ["api", "web"]);
    match(text(down), /\nall config processes stopped$/);
    deepEqual((await env.status()).map((p) => p.name), ["bad"]);
  });
});

Deno.test("mcp: port names the process and session that lease a port, or free", async () => {
  await withServer("mcp-port", async (env, s) => {
    await env.ok(["run", "--proxy", "--name", "web", "sleep 60"]);
    const p = (await env.proc("web")).port!;
    const held = await call(s, "port", { port: p });
    ok(!held.isError, text(held));
    match(text(held), new RegExp(`^${p}: leased by process web of session ${env.session}`));
    deepEqual((data(held) as { owner: { name: string } }).owner.name, "web");
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const freePort = (l.addr as Deno.NetAddr).port;
    l.close();
    const free = await call(s, "port", { port: freePort });
    deepEqual(text(free), `${freePort}: free`);
    deepEqual((data(free) as { free: boolean }).free, true);
  });
});

Deno.test("mcp: run with ensure keeps a running process with the same spec", async () => {
  await withServer("mcp-ensure", async (env, s) => {
    const first = await call(s, "run", { cmd: "sleep 60", name: "keep", ensure: true });
    ok(!first.isError, text(first));
    const pid = (await env.proc("keep")).pid;
    const again = await call(s, "run", { cmd: "sleep 60", name: "keep", ensure: true });
    ok(!again.isError, text(again));
    match(text(again), new RegExp(`^keep already running \\(id: p1, pid: ${pid}\\)$`));
    deepEqual((data(again) as { outcome: string }).outcome, "kept");
  });
});

Deno.test("mcp: send answers a prompt that status shows as awaiting_input", async () => {
  await withServer("mcp-send", async (_env, s) => {
    const py = 'x = input("Proceed? (y/n) "); print("read", x)';
    const started = await call(s, "run", { cmd: `python3 -c '${py}'`, name: "py", stdin: true });
    ok(!started.isError, text(started));
    const row = await pollUntil(async () => {
      const st = data(await call(s, "status", { names: ["py"] }));
      const p = (st.processes as { awaiting_input: { prompt: string } | null }[])[0];
      return p?.awaiting_input ? p : null;
    }, { what: "py awaiting input" });
    deepEqual(row.awaiting_input?.prompt, "Proceed? (y/n)");
    const waited = await call(s, "wait", { name: "py", until: "read" });
    ok(waited.isError);
    match(text(waited), /py is waiting for input: "Proceed\? \(y\/n\)"\nhint: answer it/);
    const sent = await call(s, "send", { name: "py", text: "y" });
    deepEqual(data(sent), { name: "py", bytes: 2, eof: false });
    match(text(await call(s, "wait", { name: "py", until: "read y" })), /read y/);
    const none = await call(s, "send", { name: "nope", text: "y" });
    ok(none.isError);
    match(text(none), /no process named nope/);
  });
});
