/**
 * End-to-end: a real Vite dev server (pinned, from npm; see
 * tests/helpers/npm_tool.ts) run by agent-procs with `--proxy`, and its HMR
 * WebSocket opened through the session's proxy by name. Vite sends
 * `{"type":"connected"}` the moment the upgrade completes, often in the same
 * segment as its `101` head; every connection must receive it.
 */

import { equal, match } from "node:assert/strict";
import { withEnv } from "./helpers/harness.ts";
import { npmTool, VITE } from "./helpers/npm_tool.ts";
import { connectWs, OP } from "./fixtures/proxy/ws_client.ts";

const CONNECTIONS = 20;

Deno.test("Vite HMR through the proxy: every connection gets {type: connected}", async () => {
  const vite = await npmTool(VITE);
  await withEnv("vite", async (env) => {
    const app = `${env.home}/app`;
    await Deno.mkdir(app);
    await Deno.writeTextFile(`${app}/index.html`, "<!doctype html><p>hello from vite</p>\n");
    await env.ok([
      "run",
      `'${vite}' --port $PORT --strictPort --host $HOST --clearScreen false`,
      "--name",
      "web",
      "--proxy",
    ], { cwd: app });
    await env.ok(["wait", "web", "--until", "ready in", "--timeout", "30"]);
    const url = (await env.proc("web")).url ?? "";
    match(url, /^http:\/\/web\.localhost:\d+$/);
    const proxyPort = Number(url.split(":").pop());
    for (let i = 0; i < CONNECTIONS; i++) {
      const ws = await connectWs(proxyPort, `web.localhost:${proxyPort}`, "/", ["vite-hmr"]);
      try {
        equal(ws.status, 101, `connection ${i}`);
        equal(ws.headers.get("sec-websocket-protocol"), "vite-hmr", `connection ${i}`);
        const f = await ws.next(10_000);
        equal(f?.opcode, OP.text, `connection ${i}: no first frame`);
        const msg = JSON.parse(new TextDecoder().decode(f!.payload)) as { type?: unknown };
        equal(msg.type, "connected", `connection ${i}`);
      } finally {
        ws.close();
      }
    }
  });
});
