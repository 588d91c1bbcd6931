/**
 * Property tests of the config loader: random YAML documents built from the
 * config's own vocabulary, textual mutations of a valid config (deleted,
 * duplicated and inserted characters, YAML syntax, anchors, tags), random
 * bytes, and a few hostile documents (deep nesting, alias bombs). loadConfig
 * must always resolve to a LoadResult: a complete config, or errors with the
 * file, a 1-based line and column (or none) and a one-line message. It never
 * throws.
 */

import assert from "node:assert/strict";
import { stringify } from "yaml";
import { loadConfig } from "./load.ts";
import type { ConfigResult } from "./types.ts";
import { PROCESS_KEYS } from "./process.ts";
import { forAll, type Prng, propertyRuns } from "../testkit.ts";

const TOP_KEYS = ["session", "proxy", "proxy_port", "env", "env_file", "processes", "x-base"];
const READY_KEYS = ["log", "regex", "http", "tcp", "host", "cmd"];
const SCALARS: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  65535,
  70000,
  1e400,
  Number.NaN,
  "",
  "~",
  "yes",
  ".inf",
  "0x1F",
  "10s",
  "1m30s",
  "500ms",
  "-5s",
  "SIGTERM",
  "TERM",
  "sigkill",
  "SIGNOPE",
  "always",
  "on-failure",
  "sometimes",
  "a",
  "web",
  "../up",
  "~/x",
  ".env",
  "src/**",
  "[bad",
  "http://127.0.0.1:1/",
  "\u0000",
  "é",
];

/** A random value for a key of the config (often of the right shape, often not). */
function value(rng: Prng, depth: number, keys: readonly string[]): unknown {
  if (depth > 3 || rng.chance(0.5)) return rng.pick(SCALARS);
  if (rng.chance(0.3)) {
    return Array.from({ length: rng.int(0, 3) }, () => value(rng, depth + 1, keys));
  }
  const o: Record<string, unknown> = {};
  for (let n = rng.int(0, 4); n > 0; n--) {
    o[rng.chance(0.9) ? rng.pick(keys) : rng.pick(["A", "b c", "<<", "1"])] = value(
      rng,
      depth + 1,
      rng.chance(0.5) ? READY_KEYS : PROCESS_KEYS,
    );
  }
  return o;
}

/** Plausible values per key, so that random documents also get past the first checks. */
const GOOD: Record<string, unknown[]> = {
  session: ["prop", "a.b-c_1"],
  proxy: [true, false],
  proxy_port: [9095, 9190],
  env: [{ A: "1" }, { B: 2, C: null }],
  env_file: [".env", [".env"]],
  cmd: ["sleep 1", "echo hi"],
  cwd: [".", "src", "~/src"],
  ready: ["up", { log: "x+", regex: true }, { http: "http://127.0.0.1:1/" }, { tcp: 1 }, {
    cmd: "true",
  }],
  ready_timeout: [1, "500ms", "1m30s"],
  depends_on: [["a"], ["b", "c"], []],
  port: [4000, 1],
  autorestart: ["always", "on-failure", "never"],
  max_restarts: [0, 3],
  restart_delay: [50, "2s"],
  watch: [["src/**"], ["*.json", "[bad"]],
  watch_ignore: [["*.log"], "dist"],
  stop_signal: ["INT", "SIGTERM", "sigkill"],
  stop_timeout: [0, 1.5, "10s"],
};

/** A value for `key`: often plausible, otherwise random. */
function field(rng: Prng, key: string, depth: number): unknown {
  const good = GOOD[key];
  return good && rng.chance(0.7) ? rng.pick(good) : value(rng, depth, READY_KEYS);
}

/** A random config-like document. */
function randomDoc(rng: Prng): unknown {
  const doc: Record<string, unknown> = {};
  for (const k of TOP_KEYS) if (rng.chance(0.3)) doc[k] = field(rng, k, 1);
  if (rng.chance(0.9)) {
    const procs: Record<string, unknown> = {};
    for (let n = rng.int(0, 4); n > 0; n--) {
      const p: Record<string, unknown> = { cmd: field(rng, "cmd", 2) };
      for (const k of PROCESS_KEYS) if (rng.chance(0.25)) p[k] = field(rng, k, 2);
      if (rng.chance(0.05)) p[rng.pick(["A", "depnds_on", "<<"])] = rng.pick(SCALARS);
      procs[rng.chance(0.9) ? rng.pick(["a", "b", "c", "web"]) : rng.pick(["bad name", ""])] = p;
    }
    doc.processes = procs;
  }
  return rng.chance(0.03) ? rng.pick(SCALARS) : doc;
}

const VALID = `session: prop
proxy: false
env: { LOG: debug }
x-base: &base
  autorestart: on-failure
  max_restarts: 3
processes:
  db:
    <<: *base
    cmd: echo db ready; sleep 1000
    ready: db ready
    stop_signal: INT
    stop_timeout: 1500ms
  api:
    cmd: ./api
    cwd: .
    env:
      DB: postgres://x
    ready: { http: "http://127.0.0.1:8080/health" }
    port: 8080
    depends_on: [db]
    watch: ["src/**"]
    watch_ignore: ["*.gen.ts"]
    restart_delay: 2s
`;

const INSERTS = [
  ":",
  "-",
  " ",
  "  ",
  "\n",
  "\t",
  "[",
  "]",
  "{",
  "}",
  "&a",
  "*a",
  "!!binary",
  "|",
  ">",
  "'",
  '"',
  "#",
  "%",
  "@",
  "`",
  "<<",
  "---\n",
  "? ",
  ",",
  "\\",
  "\u00a0",
];

/** The valid config with a few random textual edits. */
function mutatedText(rng: Prng): string {
  let text = VALID;
  for (let n = rng.int(1, 4); n > 0; n--) {
    const at = rng.int(0, text.length);
    switch (rng.int(0, 3)) {
      case 0:
        text = text.slice(0, at) + text.slice(at + rng.int(1, 20));
        break;
      case 1:
        text = text.slice(0, at) + rng.pick(INSERTS) + text.slice(at);
        break;
      case 2: {
        const lines = text.split("\n");
        const i = rng.int(0, lines.length - 1);
        lines.splice(rng.int(0, lines.length), 0, lines[i]);
        text = lines.join("\n");
        break;
      }
      default: {
        const lines = text.split("\n");
        const i = rng.int(0, lines.length - 1);
        lines[i] = (rng.chance(0.5) ? " " : "") + lines[i].replace(/^ /, "");
        text = lines.join("\n");
      }
    }
  }
  return text;
}

/** Documents that stress the parser itself. */
const HOSTILE = [
  "processes: " + "[".repeat(5000),
  "processes: " + "{a: ".repeat(2000) + "1" + "}".repeat(2000),
  "a: &a [x, x, x, x, x, x, x, x, x]\n" +
  Array.from({ length: 9 }, (_, i) =>
    `${"b".repeat(i + 1)}: &${"b".repeat(i + 1)} [` +
    Array(9).fill(i ? `*${"b".repeat(i)}` : "*a").join(", ") + "]").join("\n") +
  "\nprocesses: {}\n",
  "processes:\n  a:\n    cmd: " + "x".repeat(1_000_000) + "\n",
  "\ufeffprocesses:\n  a:\n    cmd: echo\n",
  "processes:\n  a: &p\n    cmd: echo\n    depends_on: [a]\n  b: *p\n",
  "--- !!map\n? [a, b]\n: c\n",
  "processes: !!str\n",
  "%YAML 1.1\n---\nprocesses: {}\n",
];

/** Fails unless `r` is a well-formed LoadResult. */
function checkResult(r: ConfigResult, file: string): void {
  if (r.ok) {
    assert.ok(Array.isArray(r.config.processes));
    for (const p of r.config.processes) {
      assert.equal(typeof p.name, "string");
      assert.equal(typeof p.cmd, "string");
      assert.ok(["always", "on-failure", "never"].includes(p.autorestart));
      assert.ok(Number.isFinite(p.stopTimeoutMs) && p.stopTimeoutMs >= 0, `${p.stopTimeoutMs}`);
    }
    return;
  }
  assert.ok(r.errors.length > 0, "an error result lists its errors");
  assert.equal(r.error, r.errors[0]);
  for (const e of r.errors) {
    assert.equal(e.file, file);
    assert.ok(typeof e.message === "string" && e.message.length > 0, "a message");
    assert.ok(!e.message.includes("\n"), `one line: ${JSON.stringify(e.message)}`);
    for (const n of [e.line, e.col]) {
      assert.ok(n === null || (Number.isInteger(n) && n >= 1), `line/col ${e.line}:${e.col}`);
    }
  }
}

/** Writes `text` as the config in a fresh dir, loads it, and checks the result. */
async function loadsCleanly(dir: string, text: string | Uint8Array): Promise<void> {
  const file = `${dir}/agent-procs.yaml`;
  if (typeof text === "string") await Deno.writeTextFile(file, text);
  else await Deno.writeFile(file, text);
  let r: ConfigResult;
  try {
    r = await loadConfig(file, { HOME: dir, PATH: "/bin" });
  } catch (e) {
    const shown = typeof text === "string" ? text.slice(0, 2000) : `${text.length} bytes`;
    throw new Error(`loadConfig threw for:\n${shown}\n${e}`, { cause: e });
  }
  checkResult(r, file);
}

/** Runs `body` with a temp dir (holding `.env` and `src/`) removed afterwards. */
async function inTemp(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "ap-config-prop-" }));
  try {
    await Deno.writeTextFile(`${dir}/.env`, "A=1\n");
    await Deno.mkdir(`${dir}/src`);
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("property: random YAML documents load or give located errors, never throw", async () => {
  await inTemp(async (dir) => {
    await loadsCleanly(dir, VALID); // the base of the mutations is valid
    await forAll("random YAML", propertyRuns(300), async (rng) => {
      await loadsCleanly(dir, stringify(randomDoc(rng)));
    });
  });
});

Deno.test("property: textual mutations of a valid config load or give located errors", async () => {
  await inTemp(async (dir) => {
    await forAll("mutated config", propertyRuns(300), async (rng) => {
      await loadsCleanly(dir, mutatedText(rng));
    });
  });
});

Deno.test("property: random bytes and hostile documents load or give located errors, never throw", async () => {
  await inTemp(async (dir) => {
    for (const doc of HOSTILE) await loadsCleanly(dir, doc);
    await forAll("random bytes", propertyRuns(100), async (rng) => {
      await loadsCleanly(dir, rng.bytes(rng.int(0, 400)));
    });
  });
});
