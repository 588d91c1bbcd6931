/**
 * A real headless Chromium for tests, driven over its DevTools protocol with
 * Deno's own WebSocket (no puppeteer download). `launchChromium` starts
 * `/usr/bin/chromium` (or `chromium` from PATH) with a throw-away profile and
 * `--remote-debugging-port=0`, reads the `DevTools listening on ws://...` line
 * from its stderr, and connects. `openPage` makes a tab (`Target.createTarget`,
 * attached in flat mode); `Page.navigate` + the load event, and
 * `Runtime.evaluate` for reading the DOM. `close` kills Chromium's process group (pgid = its PID) and
 * removes the profile. `*.localhost` resolves to the loopback in Chromium.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A DevTools event or reply. */
interface CdpMessage {
  id?: number;
  method?: string;
  sessionId?: string;
  params?: { [k: string]: Json };
  result?: { [k: string]: Json };
  error?: { message: string };
}

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-extensions",
  "--disable-dev-shm-usage",
  "--no-proxy-server",
  "--remote-debugging-port=0",
];

function chromiumPath(): string {
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch { /* next */ }
  }
  return "chromium"; // from PATH; spawning fails with a clear error if missing
}

/** One tab. */
export interface Page {
  /** Navigates and waits for the load event (or fails after `timeoutMs`). */
  goto(url: string, timeoutMs?: number): Promise<void>;
  /** Evaluates `expression` in the page and returns its value (JSON-able). */
  evaluate(expression: string): Promise<Json>;
  /** What the browser itself logged for this tab (`Log.entryAdded`: CSP violations, failed loads). */
  browserLog: string[];
  /** Closes the tab. */
  close(): Promise<void>;
}

/** A running Chromium. */
export interface Chromium {
  /** Opens a new blank tab. */
  openPage(): Promise<Page>;
  /** Kills Chromium's process group (pgid = its PID) and removes its profile directory. */
  close(): Promise<void>;
}

async function readDevToolsUrl(stderr: ReadableStream<Uint8Array>, timeoutMs: number) {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const deadline = Date.now() + timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    while (Date.now() < deadline) {
      const next = await Promise.race([
        reader.read(),
        new Promise<null>((r) => timer = setTimeout(() => r(null), deadline - Date.now())),
      ]);
      clearTimeout(timer);
      if (next === null || next.done) break;
      seen += next.value;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (m) {
        // keep draining stderr so Chromium never blocks on a full pipe
        (async () => {
          try {
            while (!(await reader.read()).done) { /* discard */ }
          } catch { /* closed */ }
        })();
        return m[1];
      }
    }
  } finally {
    clearTimeout(timer);
  }
  await reader.cancel().catch(() => {});
  throw new Error(`Chromium printed no DevTools URL within ${timeoutMs} ms; stderr:\n${seen}`);
}

/** Starts headless Chromium and connects to it. */
export async function launchChromium(): Promise<Chromium> {
  const profile = await Deno.makeTempDir({ prefix: "ap-chromium-" });
  const child = new Deno.Command(chromiumPath(), {
    args: [...FLAGS, `--user-data-dir=${profile}`, "about:blank"],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    detached: true,
  }).spawn();
  const cleanup = async () => {
    try {
      Deno.kill(-child.pid, "SIGKILL"); // the browser and its zygote/renderers: its own group
    } catch { /* gone */ }
    await child.status;
    // children that outlive the browser for a moment may still write into the profile
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        await Deno.remove(profile, { recursive: true });
        return;
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return;
        if (Date.now() > deadline) throw new Error(`cannot remove the profile ${profile}: ${e}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  let ws: WebSocket;
  try {
    const url = await readDevToolsUrl(child.stderr, 30_000);
    ws = new WebSocket(url);
    await new Promise<void>((res, rej) => {
      ws.onopen = () => res();
      ws.onerror = (e) => rej(new Error(`cannot connect to ${url}: ${String(e)}`));
    });
  } catch (e) {
    await cleanup();
    throw e;
  }
  let nextId = 1;
  const pending = new Map<number, { res: (m: CdpMessage) => void; rej: (e: Error) => void }>();
  const listeners = new Set<(m: CdpMessage) => void>();
  ws.onmessage = (ev) => {
    const msg = JSON.parse(String(ev.data)) as CdpMessage;
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (p && msg.error) p.rej(new Error(`DevTools: ${msg.error.message}`));
      else p?.res(msg);
      return;
    }
    for (const l of listeners) l(msg);
  };
  ws.onclose = () => {
    for (const p of pending.values()) p.rej(new Error("DevTools connection closed"));
    pending.clear();
  };
  const send = (method: string, params: { [k: string]: Json } = {}, sessionId?: string) =>
    new Promise<CdpMessage>((res, rej) => {
      const id = nextId++;
      pending.set(id, { res, rej });
      ws.send(
        JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params }),
      );
    });

  return {
    async openPage(): Promise<Page> {
      const created = await send("Target.createTarget", { url: "about:blank" });
      const targetId = String(created.result?.targetId);
      const attached = await send("Target.attachToTarget", { targetId, flatten: true });
      const sessionId = String(attached.result?.sessionId);
      await send("Page.enable", {}, sessionId);
      await send("Runtime.enable", {}, sessionId);
      await send("Log.enable", {}, sessionId);
      const browserLog: string[] = [];
      const onLog = (m: CdpMessage) => {
        if (m.sessionId !== sessionId || m.method !== "Log.entryAdded") return;
        const entry = m.params?.entry as
          | { level?: string; text?: string; url?: string }
          | undefined;
        browserLog.push(`${entry?.level} ${entry?.text} ${entry?.url ?? ""}`);
      };
      listeners.add(onLog);
      return {
        browserLog,
        async goto(url: string, timeoutMs = 15_000) {
          let onEvent: (m: CdpMessage) => void = () => {};
          let timer: ReturnType<typeof setTimeout> | undefined;
          const loaded = new Promise<void>((res, rej) => {
            onEvent = (m) => {
              if (m.sessionId === sessionId && m.method === "Page.loadEventFired") res();
            };
            listeners.add(onEvent);
            timer = setTimeout(
              () => rej(new Error(`no load event for ${url} within ${timeoutMs} ms`)),
              timeoutMs,
            );
          });
          try {
            const nav = await send("Page.navigate", { url }, sessionId);
            if (typeof nav.result?.errorText === "string") {
              throw new Error(`navigating to ${url}: ${nav.result.errorText}`);
            }
            await loaded;
          } finally {
            clearTimeout(timer);
            listeners.delete(onEvent);
          }
        },
        async evaluate(expression: string): Promise<Json> {
          const r = await send("Runtime.evaluate", {
            expression,
            returnByValue: true,
            awaitPromise: true,
          }, sessionId);
          const exc = r.result?.exceptionDetails;
          if (exc) throw new Error(`evaluate ${expression}: ${JSON.stringify(exc)}`);
          const value = r.result?.result as { value?: Json } | undefined;
          return value?.value ?? null;
        },
        async close() {
          listeners.delete(onLog);
          await send("Target.closeTarget", { targetId }).catch(() => {});
        },
      };
    },
    async close() {
      try {
        ws.close();
      } catch { /* closed */ }
      await cleanup();
    },
  };
}
