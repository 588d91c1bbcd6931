/**
 * End-to-end: a page's browser console in the process's log, through the
 * CLI and the MCP server. A real daemon runs a small site with
 * `run --browser-logs`; headless Chromium opens it at
 * `http://web.localhost:PROXYPORT/`. Its `console.log`, `console.warn` and an
 * uncaught TypeError reach `logs web --browser`, `--all`, `--grep`, `--follow`, `wait
 * --until`, `wait --settle` (error, then ok once the page is fixed), the
 * `browser-error` event, and the MCP `logs` tool.
 */

import { equal, match, ok } from "node:assert/strict";
import { pollUntil, withEnv } from "./helpers/harness.ts";
import { launchChromium } from "./helpers/chromium.ts";
import { startBrowserSite } from "./helpers/browser_site.ts";
import { call, connect, daemonConnections, text } from "./helpers/mcp.ts";

const SITE = new URL("./fixtures/browser_site.ts", import.meta.url).pathname;
const PAGE = '<!doctype html><html><head><title>t</title></head><body><p id="t">page text</p>' +
  '<script src="/app.js"></script></body></html>';
const BROKEN = 'console.log("hello");\nconsole.warn("careful", { a: 1 });\nnull.x;\n';
const FIXED = 'console.log("hello again");\n';

Deno.test("browser logs: console lines and an uncaught TypeError reach logs, settle, events and MCP", async () => {
  await withEnv("browser-cli", async (env) => {
    const url = await startBrowserSite(env, { "index.html": PAGE, "app.js": BROKEN });
    const chromium = await launchChromium();
    try {
      const page = await chromium.openPage();
      const opened = Date.now();
      await page.goto(`${url}/`);
      equal(await page.evaluate('document.getElementById("t").textContent'), "page text");
      const lines = await pollUntil(async () => {
        const out = await env.ok(["logs", "web", "--browser"]);
        return out.split("\n").filter((l) => l).length >= 3 ? out : null;
      }, { what: "three browser lines", seen: () => env.ok(["logs", "web", "--browser"]) });
      const took = Date.now() - opened;
      ok(took < 2000, `the console reached the log ${took} ms after the page opened`);
      const host = url.replace(/^http:\/\//, "");
      const at = (line: number) =>
        `\\(http://${host.replaceAll(".", "\\.")}/app\\.js:${line}:\\d+\\)`;
      match(lines, new RegExp(`^\\[browser\\] log hello ${at(1)}$`, "m"));
      match(lines, new RegExp(`^\\[browser\\] warn careful \\{"a":1\\} ${at(2)}$`, "m"));
      match(
        lines,
        new RegExp(`^\\[browser\\] error Uncaught TypeError: .* ${at(3)}$`, "m"),
      );
      // Not in stdout; in --all, --grep, wait --until.
      equal(await env.ok(["logs", "web"]), "listening on " + (await env.proc("web")).port + "\n");
      match(await env.ok(["logs", "--all"]), /^\[web\] \[browser\] error Uncaught TypeError/m);
      match(await env.ok(["logs", "web", "--grep", "TypeError"]), /\[browser\] error Uncaught/);
      match(await env.ok(["wait", "web", "--until", "careful"]), /\[browser\] warn careful/);
      const events = await env.ok(["events", "web", "--json"]);
      match(events, /"type":"browser-error","message":"Uncaught TypeError: [^"]*app\.js:3:\d+\)"/);

      // Settle judges the page's error, then ok once the page is fixed and reloaded.
      const bad = await env.cli(["wait", "web", "--settle", "--timeout", "20"]);
      equal(bad.code, 1, bad.stdout + bad.stderr);
      match(bad.stdout + bad.stderr, /\[browser\] error Uncaught TypeError/);
      await Deno.writeTextFile(`${env.home}/site/app.js`, FIXED);
      // A follow of the browser stream, started before the reload, gets the fixed page's line.
      const follow = env.cli([
        "logs",
        "web",
        "--browser",
        "--follow",
        "--lines",
        "1",
        "--tail",
        "0",
      ]);
      await pollUntil(() => daemonConnections(env) > 0 || null, { what: "the follow to connect" });
      await page.goto(`${url}/`);
      const followed = await follow;
      equal(followed.code, 0, followed.stderr);
      match(followed.stdout, /^\[browser\] log hello again \(/);
      const good = await env.cli(["wait", "web", "--settle", "--timeout", "20"]);
      equal(good.code, 0, good.stdout + good.stderr);
      match(good.stdout, /web settled: ok/);

      // MCP: the logs tool reads the browser stream.
      const mcp = await connect(env);
      try {
        const r = await call(mcp, "logs", { name: "web", browser: true, tail: 10 });
        ok(!r.isError, text(r));
        match(text(r), /\[browser\] log hello again/);
        match(text(r), /\[browser\] error Uncaught TypeError/);
      } finally {
        await mcp.close();
      }
      await page.close();
    } finally {
      await chromium.close();
    }
  });
});

/** The body of `url` fetched through the proxy with curl (it keeps the `Host` of the URL). */
async function curlBody(url: string): Promise<string> {
  const out = await new Deno.Command("curl", { args: ["-s", "-m", "10", url], stdout: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test("browser_logs in agent-procs.yaml: top level turns it on, a process can turn it off", async () => {
  await withEnv("browser-up", async (env) => {
    const dir = `${env.home}/site`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/index.html`, PAGE);
    const cmd = `${Deno.execPath()} run -A ${SITE}`;
    await Deno.writeTextFile(
      `${dir}/agent-procs.yaml`,
      `proxy: true
browser_logs: true
processes:
  web:
    cmd: ${cmd}
    ready: listening on
  plain:
    cmd: ${cmd}
    ready: listening on
    browser_logs: false
`,
    );
    await env.ok(["up"], { cwd: dir });
    const web = (await env.proc("web")).url;
    const plain = (await env.proc("plain")).url;
    ok(web && plain, "both are behind the proxy");
    match(await curlBody(`${web}/`), /<script[^>]* src="\/_agent-procs\/capture\.js"/);
    equal(await curlBody(`${plain}/`), PAGE);
    await env.ok(["down"], { cwd: dir });
  });
});
