/**
 * A real Vite dev server (pinned, from npm: tests/helpers/npm_tool.ts) behind
 * the proxy with browser logs on, opened in headless Chromium: the page
 * loads with the capture script, HMR still updates the page after an edit
 * (its WebSocket goes through the proxy), and a `console.error` added to
 * `main.js` reaches the proxy's browser-line sink.
 */

import assert from "node:assert/strict";
import { startProxy } from "../src/proxy/server.ts";
import type { BrowserLine } from "../src/proxy/browser_line.ts";
import { launchChromium } from "./helpers/chromium.ts";
import { npmTool, VITE } from "./helpers/npm_tool.ts";
import { freePort, waitFor } from "./fixtures/proxy/helpers.ts";

const INDEX = `<!doctype html>
<html>
  <head><title>vite app</title></head>
  <body><p id="app">static</p><script type="module" src="/main.js"></script></body>
</html>
`;

const main = (text: string, extra = "") =>
  `document.getElementById("app").textContent = ${JSON.stringify(text)};\n${extra}` +
  `if (import.meta.hot) import.meta.hot.accept();\n`;

/** Starts Vite in its own process group and waits for "ready"; returns a stopper. */
async function startVite(bin: string, dir: string, port: number) {
  const child = new Deno.Command(bin, {
    args: ["--port", String(port), "--strictPort", "--host", "127.0.0.1", "--clearScreen", "false"],
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  const stop = async () => {
    try {
      Deno.kill(-child.pid, "SIGTERM");
    } catch { /* gone */ }
    await child.status;
  };
  let out = "";
  const drain = async (s: ReadableStream<Uint8Array>) => {
    for await (const t of s.pipeThrough(new TextDecoderStream())) out += t;
  };
  const draining = Promise.all([drain(child.stdout), drain(child.stderr)]);
  try {
    await waitFor(() => (/ready in/.test(out) ? true : undefined), "vite ready", 30_000);
  } catch (e) {
    await stop();
    throw new Error(`${e instanceof Error ? e.message : e}; vite said:\n${out}`);
  }
  return {
    output: () => out,
    async stop() {
      await stop();
      await draining;
    },
  };
}

Deno.test("Vite behind the proxy with browser logs: page, HMR, console.error", async () => {
  const bin = await npmTool(VITE);
  const dir = await Deno.makeTempDir({ prefix: "ap-vite-" });
  await Deno.writeTextFile(`${dir}/index.html`, INDEX);
  await Deno.writeTextFile(`${dir}/main.js`, main("version one"));
  const vitePort = freePort();
  const vite = await startVite(bin, dir, vitePort);
  const lines: BrowserLine[] = [];
  const proxy = await startProxy({
    port: freePort(),
    routes: () => [{ name: "web", port: vitePort, state: "running", browserLogs: true }],
    onBrowserLines: (_name, got) => lines.push(...got),
  });
  const chromium = await launchChromium();
  try {
    const page = await chromium.openPage();
    const url = `http://web.localhost:${proxy.port}/`;
    await page.goto(url, 30_000);
    const text = () => page.evaluate('document.getElementById("app").textContent');
    await waitFor(async () => (await text()) === "version one" || undefined, "main.js ran", 10_000);
    assert.equal(
      await page.evaluate('document.querySelector("head > script").getAttribute("src")'),
      "/_agent-procs/capture.js",
    );

    await page.evaluate("window.__before_edit = 1");
    await Deno.writeTextFile(`${dir}/main.js`, main("version two"));
    await waitFor(
      async () => (await text()) === "version two" || undefined,
      `HMR update; page says ${JSON.stringify(await text())}; vite said:\n${vite.output()}`,
      15_000,
    );

    assert.equal(await page.evaluate("window.__before_edit"), 1, "updated in place, not reloaded");

    const three = main("version three", 'console.error("main.js is unhappy", {code: 42});\n');
    await Deno.writeTextFile(`${dir}/main.js`, three);
    // Vite's watcher sometimes misses a second save of the same file soon after the first (its
    // output then shows no second "hmr update"): save again every 2 s, as a person would.
    let saved = Date.now();
    let line: BrowserLine;
    try {
      line = await waitFor(
        async () => {
          const found = lines.find((l) => l.text.includes("main.js is unhappy"));
          if (!found && Date.now() - saved > 2000) {
            await Deno.writeTextFile(`${dir}/main.js`, three);
            saved = Date.now();
          }
          return found;
        },
        "",
        15_000,
      );
    } catch {
      throw new Error(
        `no console.error line; have ${JSON.stringify(lines.map((l) => l.text))}; page says ` +
          `${JSON.stringify(await text())}; Chromium logged ${JSON.stringify(page.browserLog)}; ` +
          `vite said:\n${vite.output()}`,
      );
    }
    assert.equal(line.level, "error");
    assert.match(
      line.text,
      new RegExp(
        `^\\[browser\\] error main\\.js is unhappy \\{"code":42\\} ` +
          `\\(http://web\\.localhost:${proxy.port}/main\\.js\\?t=\\d+:2:9\\)$`,
      ),
    );
    assert.equal(await text(), "version three");
    await page.close();
  } finally {
    await chromium.close();
    await proxy.close();
    await vite.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
