/**
 * Unit tests of the capture script's logic, run in Deno against a fake
 * `window` (console, listeners, timers, fetch and sendBeacon recorded); the
 * real-browser behaviour is covered by tests/browser_proxy_test.ts.
 */

import assert from "node:assert/strict";
import { CAPTURE_JS } from "./capture_script.ts";

interface Sent {
  entries: { level: string; text: string; url?: string; line?: number; col?: number }[];
}

type Listener = (ev: Record<string, unknown>) => void;

function fakeWindow(consoleValue?: unknown) {
  const calls: [string, unknown[]][] = [];
  const sent: Sent[] = [];
  const beacons: Sent[] = [];
  const timers: (() => void)[] = [];
  const listeners = new Map<string, Listener[]>();
  const con = {
    debug: (...a: unknown[]) => calls.push(["debug", a]),
    log: (...a: unknown[]) => calls.push(["log", a]),
    info: (...a: unknown[]) => calls.push(["info", a]),
    warn: (...a: unknown[]) => calls.push(["warn", a]),
    error: (...a: unknown[]) => calls.push(["error", a]),
    table: () => "untouched",
  };
  const w: Record<string, unknown> = {
    console: consoleValue === undefined ? con : consoleValue,
    Error,
    setTimeout: (fn: () => void) => timers.push(fn),
    fetch: (_url: string, init: { body: string }) => {
      sent.push(JSON.parse(init.body) as Sent);
      (w.console as typeof con).log("logged from inside fetch"); // must not recurse
      return Promise.resolve();
    },
    navigator: {
      sendBeacon: (_url: string, blob: Blob) => {
        blob.text().then((t) => beacons.push(JSON.parse(t) as Sent));
        return true;
      },
    },
    addEventListener: (type: string, fn: Listener) => {
      listeners.set(type, [...(listeners.get(type) ?? []), fn]);
    },
    document: { visibilityState: "visible" },
  };
  new Function("window", CAPTURE_JS)(w);
  const fire = (type: string, ev: Record<string, unknown>) => {
    for (const l of listeners.get(type) ?? []) l(ev);
  };
  const flush = () => timers.splice(0).forEach((t) => t());
  return {
    w,
    con: w.console as typeof con,
    orig: con,
    calls,
    sent,
    beacons,
    fire,
    flush,
    listeners,
  };
}

Deno.test("console calls still reach the original and are formatted like the console", () => {
  const f = fakeWindow();
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  f.con.log("a %s %d%%", "b", 4.5, { x: [1, "y"] });
  f.con.warn(cyclic, undefined, null, 2n, -0);
  f.con.error("failed:", new TypeError("boom"));
  f.con.info({
    get g() {
      throw new Error("getter ran");
    },
  });
  f.con.debug("x".repeat(5000));
  assert.equal(f.calls.length, 5);
  assert.deepEqual(f.calls[0], ["log", ["a %s %d%%", "b", 4.5, { x: [1, "y"] }]]);
  assert.equal(f.con.table(), "untouched");
  f.flush();
  const e = f.sent[0].entries;
  assert.equal(e[0].text, 'a b 4% {"x":[1,"y"]}');
  assert.equal(e[0].level, "log");
  assert.match(e[0].url ?? "", /capture_script_test\.ts$/, "the caller's frame, not the wrapper's");
  assert.equal(e[1].text, '{"a":1,"self":[Circular]} undefined null 2n -0');
  assert.match(
    e[2].text,
    /^failed: TypeError: boom at file:\/\/.*capture_script_test\.ts:\d+:\d+$/,
  );
  assert.equal(e[3].text, '{"g":(…)}');
  assert.ok(e[4].text.length < 2100 && e[4].text.endsWith("more chars)"), e[4].text.slice(-40));
  assert.equal(f.sent.length, 1, "the log inside fetch did not send again");
});

Deno.test("batches of 20, a timer for the rest, a rate cap with a dropped note", () => {
  const f = fakeWindow();
  for (let i = 0; i < 45; i++) f.con.log(`m${i}`);
  assert.deepEqual(f.sent.map((s) => s.entries.length), [20, 20]);
  f.flush();
  assert.equal(f.sent.length, 3);
  for (let i = 0; i < 200; i++) f.con.log("flood");
  f.flush();
  const total = f.sent.reduce((n, s) => n + s.entries.length, 0);
  assert.ok(total <= 100 + 2, `sent ${total} entries in one second`);
});

Deno.test("uncaught errors, rejections and failed loads become error entries", async () => {
  const f = fakeWindow();
  f.fire("error", {
    target: f.w,
    error: new TypeError("x is undefined"),
    message: "Uncaught TypeError: x is undefined",
    filename: "http://web.localhost:9090/app.js",
    lineno: 12,
    colno: 5,
  });
  f.fire("error", { target: f.w, message: "Script error.", filename: "", lineno: 0, colno: 0 });
  f.fire("error", { target: { nodeType: 1, src: "http://web.localhost:9090/missing.png" } });
  f.fire("unhandledrejection", { reason: "nope" });
  f.fire("unhandledrejection", { reason: new RangeError("too far") });
  f.fire("pagehide", {});
  await new Promise((r) => setTimeout(r, 0)); // Blob.text() settles
  const e = f.beacons[0].entries;
  assert.deepEqual(e[0], {
    level: "error",
    text: "Uncaught TypeError: x is undefined",
    url: "http://web.localhost:9090/app.js",
    line: 12,
    col: 5,
  });
  assert.equal(e[1].text, "Uncaught Script error.");
  assert.equal(e[2].text, "Failed to load resource: http://web.localhost:9090/missing.png");
  assert.equal(e[3].text, "Uncaught (in promise) nope");
  assert.equal(e[4].text, "Uncaught (in promise) RangeError: too far");
  assert.match(e[4].url ?? "", /capture_script_test\.ts$/);
  assert.equal(f.sent.length, 0);
});

Deno.test("an odd or frozen console is left alone, and nothing throws", () => {
  for (const odd of [5, null, "console", Object.freeze({ log: () => 1 })]) {
    const f = fakeWindow(odd);
    assert.equal(f.w.console, odd);
    if (odd !== null && typeof odd === "object") {
      assert.equal((odd as { log: () => number }).log(), 1);
    }
  }
  const f = fakeWindow();
  f.fire("error", {
    target: f.w,
    get error() {
      throw new Error("hostile");
    },
  });
  new Function("window", CAPTURE_JS)(f.w); // a second copy does nothing
  f.con.log("once");
  f.flush();
  assert.equal(f.sent[0].entries.length, 1);
});

Deno.test("big entries are split into posts the endpoint accepts", () => {
  const f = fakeWindow();
  for (let i = 0; i < 15; i++) f.con.log("\u00e9".repeat(3000));
  f.flush();
  assert.ok(f.sent.length > 1, `${f.sent.length} posts`);
  for (const s of f.sent) {
    const bytes = new TextEncoder().encode(JSON.stringify(s)).length;
    assert.ok(bytes < 64 * 1024, `a post of ${bytes} bytes`);
  }
  assert.equal(f.sent.reduce((n, s) => n + s.entries.length, 0), 15);
});
