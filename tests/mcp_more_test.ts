/**
 * End-to-end tests of `agent-procs mcp` beyond the basic flow: `stop` with
 * `all: true`, `wait` for an exit and for readiness, a `run` whose `ready`
 * text does not come in time (a tool error that still carries the structured
 * result), and the server exiting when its client closes stdin while the
 * processes it started keep running.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { Progress } from "@modelcontextprotocol/client";
import { alive, pollUntil, withEnv } from "./helpers/harness.ts";
import { call, data, MAIN, text, withServer } from "./helpers/mcp.ts";
import { EXIT_CODE_KEY } from "../src/mcp/results.ts";

Deno.test("mcp: stop {all: true} stops every process of the session", async () => {
  await withServer("mcp-all", async (env, s) => {
    for (const name of ["a", "b"]) {
      const r = await call(s, "run", { cmd: "sleep 1000", name });
      ok(!r.isError, text(r));
    }
    const stopped = await call(s, "stop", { all: true });
    ok(!stopped.isError, text(stopped));
    equal(text(stopped), "all processes stopped");
    deepEqual((data(stopped).stopped as string[]).sort(), ["a", "b"]);
    deepEqual((await env.status()).map((r) => [r.name, r.state]), [["a", "stopped"], [
      "b",
      "stopped",
    ]]);
  });
});

Deno.test("mcp: wait for an exit; a run whose ready text comes too late is an error with a result", async () => {
  await withServer("mcp-wait", async (env, s) => {
    // exit: the current incarnation's exit code.
    await call(s, "run", { cmd: "echo working; sleep 0.3; exit 3", name: "job" });
    const exited = await call(s, "wait", { name: "job", exit: true, timeout: 20 });
    ok(!exited.isError, text(exited));
    equal(text(exited), "exited with code 3");
    const done = data(exited);
    deepEqual([done.kind, done.exitCode, done.signal], ["exited", 3, null]);

    // run with ready: "go-now" only comes once the test creates the file, so the run times out.
    const cmd = "while [ ! -f go ]; do sleep 0.05; done; echo go-now; sleep 1000";
    const began = Date.now();
    const late = await call(s, "run", { cmd, name: "late", ready: "go-now", timeout: 1 });
    ok(late.isError, `a ready timeout is a tool error: ${text(late)}`);
    ok(Date.now() - began < 15_000, "the run ended at its timeout");
    match(text(late), /^late \(id: p\d+, pid: \d+\)\nerror: late did not print "go-now" within 1s/);
    equal(late._meta?.[EXIT_CODE_KEY], 1);
    const proc = data(late).process as { name: string; state: string; ready: boolean | null };
    deepEqual([proc.name, proc.state], ["late", "running"], "the result still names the process");

    // The process keeps running after the failed run.
    equal((await env.proc("late")).state, "running");
  });
});

Deno.test("mcp: wait {ready} on a stack process returns once its readiness check passes", async () => {
  await withServer("mcp-ready", async (env, s) => {
    const dir = `${env.home}/proj`;
    await Deno.mkdir(dir);
    await Deno.writeTextFile(
      `${dir}/agent-procs.yaml`,
      "processes:\n  gated:\n    cmd: while [ ! -f go ]; do sleep 0.05; done; echo go-now; sleep 1000\n" +
        "    ready: go-now\n    ready_timeout: 60s\n",
    );
    // up waits for readiness too: start it, then wait on the same server while it is pending.
    const up = call(s, "up", { config: `${dir}/agent-procs.yaml` });
    await pollUntil(async () => (await env.status()).some((r) => r.name === "gated"), {
      what: "gated started",
      seen: () => env.status(),
    });
    equal((await env.proc("gated")).ready, false);
    const progress: string[] = [];
    let settled = false;
    const waiting = s.client.callTool(
      { name: "wait", arguments: { name: "gated", ready: true, timeout: 60 } },
      { onprogress: (p: Progress) => progress.push(p.message ?? "") },
    ).finally(() => settled = true);
    await pollUntil(() => progress.length > 0, { what: "the wait's first progress" });
    ok(!settled, "wait {ready} returned before the check passed");
    await Deno.writeTextFile(`${dir}/go`, "");
    const ready = await waiting;
    ok(!ready.isError, text(ready));
    equal(text(ready), "gated is ready");
    equal(data(ready).kind, "ready");
    equal((await env.proc("gated")).ready, true);
    const upped = await up;
    ok(!upped.isError, text(upped));
  });
});

/** Reads newline-delimited JSON-RPC messages from a stream until `pick` returns a value. */
async function readUntil<T>(
  lines: AsyncIterator<string>,
  pick: (msg: Record<string, unknown>) => T | undefined,
  seen: string[],
): Promise<T> {
  for (;;) {
    const next = await lines.next();
    if (next.done) throw new Error(`server closed its stdout; saw:\n${seen.join("\n")}`);
    seen.push(next.value);
    const found = pick(JSON.parse(next.value) as Record<string, unknown>);
    if (found !== undefined) return found;
  }
}

async function* splitLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buf = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) yield line;
    }
  }
}

Deno.test("mcp: the server exits when its client closes stdin; its processes keep running", async () => {
  await withEnv("mcp-eof", async (env) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", MAIN, "mcp"],
      cwd: env.home,
      env: env.env(),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const writer = child.stdin.getWriter();
    const send = (msg: unknown) =>
      writer.write(new TextEncoder().encode(JSON.stringify(msg) + "\n"));
    const lines = splitLines(child.stdout)[Symbol.asyncIterator]();
    const seen: string[] = [];
    let closed = false;
    // A server that stops answering is killed after 60 s, which ends the reads below.
    const guard = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
    }, 60_000);
    try {
      await send({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "eof-test", version: "0" },
        },
      });
      await readUntil(lines, (m) => (m.id === 1 ? true : undefined), seen);
      await send({ jsonrpc: "2.0", method: "notifications/initialized" });
      await send({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "run", arguments: { cmd: "sleep 1000", name: "survivor" } },
      });
      const result = await readUntil(
        lines,
        (m) => (m.id === 2 ? m.result as { isError?: boolean } : undefined),
        seen,
      );
      ok(!result.isError, JSON.stringify(result));
      const pid = (await env.proc("survivor")).pid;
      ok(pid, "survivor has a pid");
      // Close stdin: the server must exit by itself, promptly and cleanly.
      await writer.close();
      closed = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const status = await Promise.race([
        child.status,
        new Promise<null>((r) => timer = setTimeout(() => r(null), 15_000)),
      ]);
      clearTimeout(timer);
      ok(status, `the server still runs 15 s after stdin closed; stdout: ${seen.join("\n")}`);
      equal(status.code, 0, await stderr);
      ok(alive(pid), "the process outlives the server");
      equal((await env.proc("survivor")).state, "running");
    } finally {
      clearTimeout(guard);
      if (!closed) await writer.close().catch(() => null);
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
      await child.status;
      await stderr;
      // Drain stdout so the stream's resource is released.
      for (let n = await lines.next(); !n.done; n = await lines.next()) seen.push(n.value);
    }
  });
});
