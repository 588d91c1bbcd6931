/**
 * The demo programs really work: the api answers JSON once it prints
 * "listening on PORT", the web page calls it, the worker ticks.
 */

import assert from "node:assert/strict";

const dir = new URL(".", import.meta.url).pathname;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

interface Proc {
  child: Deno.ChildProcess;
  /** Resolves with the output so far once a line contains `text`; rejects after `ms`. */
  waitFor(text: string, ms?: number): Promise<string>;
  stop(): Promise<void>;
}

function start(file: string, env: Record<string, string>, perms: string[]): Proc {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...perms, file],
    cwd: dir,
    env,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let seen = "";
  const waiters: { text: string; resolve: (s: string) => void }[] = [];
  const pump = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      seen += chunk;
      for (const w of waiters.filter((w) => seen.includes(w.text))) w.resolve(seen);
    }
  })();
  return {
    child,
    waitFor(text, ms = 20_000) {
      if (seen.includes(text)) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no ${JSON.stringify(text)} within ${ms}ms; saw ${JSON.stringify(seen)}`),
            ),
          ms,
        );
        waiters.push({
          text,
          resolve: (s) => {
            clearTimeout(timer);
            resolve(s);
          },
        });
      });
    },
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
      await pump;
    },
  };
}

Deno.test("demo: api, web and worker", async () => {
  const apiPort = freePort();
  const webPort = freePort();
  const api = start("api.ts", { PORT: String(apiPort), GREETING: "hi from test" }, [
    "--allow-net",
    "--allow-env",
  ]);
  const web = start("web.ts", { PORT: String(webPort), API_URL: `http://127.0.0.1:${apiPort}` }, [
    "--allow-net",
    "--allow-env",
  ]);
  const worker = start("worker.ts", { TICK_MS: "50" }, ["--allow-env"]);
  try {
    await api.waitFor(`listening on ${apiPort}`);
    const json = await (await fetch(`http://127.0.0.1:${apiPort}/`)).json();
    assert.equal(json.service, "api");
    assert.equal(json.greeting, "hi from test");
    await web.waitFor("web on");
    const page = await (await fetch(`http://127.0.0.1:${webPort}/`)).text();
    assert.match(page, /hi from test/);
    assert.equal((await fetch(`http://127.0.0.1:${webPort}/health`)).status, 200);
    await worker.waitFor("tick 2");
  } finally {
    await Promise.all([api.stop(), web.stop(), worker.stop()]);
  }
});
