/**
 * Property tests of the protocol decoder: random bytes through LineSplitter
 * (any chunking gives the same lines as splitting the whole input; only
 * ProtocolError for oversize), random text through parseJsonLine, and random
 * JSON values (plus mutated valid messages) through decodeRequest and
 * decodeReply. Whatever comes in, the result is a typed value or a thrown
 * ProtocolError, never another exception.
 */

import assert from "node:assert/strict";
import {
  decodeRequest,
  LineSplitter,
  MAX_MESSAGE_BYTES,
  parseJsonLine,
  ProtocolError,
  type Reply,
  type Request,
  type RequestType,
} from "./protocol.ts";
import { decodeOkData, decodeReply } from "./protocol_reply.ts";
import { forAll, type Prng, propertyRuns, sampleRow } from "./testkit.ts";

/** Keys a message may have, keys of Object.prototype, and a few random ones. */
const KEYS = [
  "type",
  "spec",
  "targets",
  "target",
  "condition",
  "kind",
  "pattern",
  "regex",
  "timeoutMs",
  "streams",
  "afterSeq",
  "all",
  "specs",
  "selected",
  "proxy",
  "proxyPort",
  "names",
  "version",
  "pid",
  "session",
  "warnings",
  "data",
  "code",
  "message",
  "details",
  "lines",
  "process",
  "processes",
  "text",
  "seqs",
  "step",
  "info",
  "name",
  "cmd",
  "cwd",
  "env",
  "userEnv",
  "port",
  "autorestart",
  "ready",
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "",
  "x",
];

/** Values of `type` and `kind` the decoders switch on, and some they do not know. */
const TAGS = [
  "run",
  "stop",
  "stop_all",
  "restart",
  "status",
  "wait",
  "follow",
  "subscribe",
  "up",
  "down",
  "ping",
  "shutdown",
  "hello",
  "ok",
  "error",
  "lines",
  "note",
  "activity",
  "progress",
  "until",
  "exit",
  "log",
  "http",
  "tcp",
  "cmd",
  "always",
  "stdout",
  "stderr",
  "SIGINT",
  "SIGNOPE",
  "nope",
];

/** A random JSON value (depth-limited), biased towards the decoders' vocabulary. */
function jsonValue(rng: Prng, depth = 0): unknown {
  const leafOnly = depth >= 4;
  switch (rng.int(0, leafOnly ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1, 1.5, 1e308, -0, 2 ** 53, 70000, rng.int(-1000, 1000)]);
    case 3:
      return rng.pick(TAGS);
    case 4:
      return rng.pick(["", "a", "\u0000", "\uFFFD", "é", "x".repeat(rng.int(0, 50))]);
    case 5:
      return rng.pick(KEYS);
    case 6:
    case 7: {
      const o: Record<string, unknown> = {};
      if (rng.chance(0.7)) o.type = rng.pick(TAGS);
      for (let n = rng.int(0, 6); n > 0; n--) o[rng.pick(KEYS)] = jsonValue(rng, depth + 1);
      // Through JSON so that "__proto__" is an own key, as JSON.parse makes it.
      return JSON.parse(JSON.stringify(o).replace('"x":', '"__proto__":'));
    }
    default:
      return Array.from({ length: rng.int(0, 4) }, () => jsonValue(rng, depth + 1));
  }
}

/** Valid messages of each kind, to mutate. */
const SPEC = {
  name: "web",
  cmd: "sleep 1",
  cwd: "/tmp",
  env: {},
  userEnv: {},
  port: null,
  proxy: false,
  autorestart: "never",
  maxRestarts: null,
  restartDelayMs: 1000,
  watch: [],
  watchIgnore: [],
  ready: { kind: "log", pattern: "x", regex: false },
  readyTimeoutMs: 30000,
  stopSignal: "SIGTERM",
  stopTimeoutMs: 10000,
  dependsOn: [],
  configPath: null,
};
const VALID: unknown[] = [
  { type: "run", spec: SPEC },
  { type: "stop", targets: ["web"] },
  { type: "wait", target: "web", condition: { kind: "until", pattern: "x" }, timeoutMs: 5 },
  { type: "follow", targets: [], all: true, streams: ["stdout"], afterSeq: { web: 3 } },
  { type: "up", specs: [SPEC], selected: [], proxy: false, proxyPort: null },
  { type: "hello", version: 1, pid: 2, session: "s", warnings: ["w"] },
  { type: "error", code: "not_found", message: "m", details: ["d"] },
  { type: "progress", name: "web", step: "ready", info: null, message: null, details: [] },
  { type: "lines", process: "web", lines: [] },
  { type: "activity", seqs: { web: 1 } },
  { type: "status", processes: [sampleRow()] },
  { type: "progress", name: "web", step: "started", info: sampleRow(), message: "m", details: [] },
];

/** Valid `ok` data per request type, to mutate. */
const OK_DATA: [RequestType, unknown][] = [
  ["run", sampleRow()],
  ["stop", ["web"]],
  ["restart", [sampleRow(), sampleRow({ name: "api", id: "p2" })]],
  ["status", [sampleRow({ state: "exited", exit_code: 1, pid: null })]],
  ["wait", { kind: "exited", exitCode: 3, signal: null }],
  ["wait", { kind: "ready" }],
  ["up", { processes: [sampleRow()], failed: [], blocked: ["x"], proxy: null }],
  ["down", { stopped: ["web"], forgotten: [] }],
  ["ping", null],
];

/** A valid message with one random path replaced by a random value (or deleted). */
function mutated(rng: Prng, from: readonly unknown[] = VALID): unknown {
  const root = { v: structuredClone(rng.pick(from)) } as Record<string, unknown>;
  let node: Record<string, unknown> = root;
  for (let d = rng.int(1, 3); d > 0; d--) {
    const kids = Object.keys(node).filter((k) => typeof node[k] === "object" && node[k] !== null);
    if (!kids.length) break;
    node = node[rng.pick(kids)] as Record<string, unknown>;
  }
  const keys = Object.keys(node);
  const key = keys.length && rng.chance(0.8) ? rng.pick(keys) : rng.pick(KEYS);
  if (rng.chance(0.2)) delete node[key];
  else node[key] = jsonValue(rng, 2);
  // Only what JSON can carry (no named properties on arrays, no prototypes).
  return JSON.parse(JSON.stringify(root)).v ?? null;
}

/** Calls `decode`; returns the value, or null for a ProtocolError; fails for anything else. */
function decodeOrProtocolError<I, T>(decode: (v: I) => T, v: I): T | null {
  try {
    return decode(v);
  } catch (e) {
    if (e instanceof ProtocolError) return null;
    throw new Error(`not a ProtocolError for ${JSON.stringify(v)}: ${e}`, { cause: e });
  }
}

const REQUEST_TYPES = new Set(TAGS.slice(0, 12));
const REQUEST_TYPE_LIST = [...REQUEST_TYPES] as RequestType[];
const REPLY_TYPES = new Set(["hello", "ok", "error", "lines", "status", "note", "activity"]);

function checkRequest(r: Request): void {
  assert.ok(REQUEST_TYPES.has(r.type), `decoded an unknown request type ${r.type}`);
  if (r.type === "stop" || r.type === "restart") {
    assert.ok(r.targets.every((t) => typeof t === "string"));
  }
  if (r.type === "run") {
    assert.equal(typeof r.spec.name, "string");
    assert.ok(["always", "on-failure", "never"].includes(r.spec.autorestart));
    assert.match(r.spec.stopSignal, /^SIG[A-Z0-9]+$/);
  }
}

function checkReply(r: Reply): void {
  assert.ok(REPLY_TYPES.has(r.type) || r.type === "progress", `decoded reply type ${r.type}`);
  if (r.type === "hello") assert.ok(r.warnings.every((w) => typeof w === "string"));
  if (r.type === "error") assert.ok(r.details?.every((d) => typeof d === "string") ?? true);
}

Deno.test("property: LineSplitter gives the same lines however the bytes are chunked", async () => {
  const dec = new TextDecoder();
  await forAll("LineSplitter", propertyRuns(500), (rng) => {
    const input = rng.bytes(rng.int(0, 2000));
    const parts = input.length
      ? [...input].reduce((acc: number[][], b) => {
        if (!acc.length || rng.chance(0.05)) acc.push([]);
        acc.at(-1)!.push(b);
        return acc;
      }, [])
      : [];
    const s = new LineSplitter();
    const got = parts.flatMap((p) => s.push(new Uint8Array(p)));
    const pieces: Uint8Array[] = [];
    let start = 0;
    for (let i = input.indexOf(10); i >= 0; i = input.indexOf(10, start)) {
      pieces.push(input.subarray(start, i));
      start = i + 1;
    }
    assert.deepEqual(got, pieces.map((p) => dec.decode(p)));
  });
});

Deno.test("property: LineSplitter refuses a message over the cap with a ProtocolError only", async () => {
  await forAll("LineSplitter cap", 4, (rng) => {
    const s = new LineSplitter();
    const chunk = new Uint8Array(rng.int(1, 3) * 1024 * 1024).fill(0x61);
    let fed = 0;
    assert.throws(() => {
      for (;;) {
        s.push(chunk);
        fed += chunk.length;
        assert.ok(fed <= MAX_MESSAGE_BYTES + chunk.length, "no error past the cap");
      }
    }, ProtocolError);
  });
});

Deno.test("property: parseJsonLine turns any text into a value or a ProtocolError", async () => {
  const dec = new TextDecoder();
  await forAll("parseJsonLine", propertyRuns(2000), (rng) => {
    const text = rng.chance(0.5)
      ? dec.decode(rng.bytes(rng.int(0, 200)))
      : JSON.stringify(jsonValue(rng)).slice(0, rng.int(0, 300));
    decodeOrProtocolError(parseJsonLine, text);
  });
});

Deno.test("property: decodeRequest gives a known request or a ProtocolError for any JSON", async () => {
  await forAll("decodeRequest", propertyRuns(3000), (rng) => {
    const v = rng.chance(0.5) ? jsonValue(rng) : mutated(rng);
    const r = decodeOrProtocolError(decodeRequest, v);
    if (r) checkRequest(r);
  });
});

Deno.test("property: decodeReply gives a known reply or a ProtocolError for any JSON", async () => {
  await forAll("decodeReply", propertyRuns(3000), (rng) => {
    const v = rng.chance(0.5) ? jsonValue(rng) : mutated(rng);
    const r = decodeOrProtocolError(decodeReply, v);
    if (r) checkReply(r);
  });
});

// Found by the property above (at e439235 decodeReply ran String() on these items and threw a
// TypeError); kept as a regression test.
Deno.test({
  name: "decodeReply: warning and detail items that are not strings are a ProtocolError",
  fn: () => {
    for (
      const line of [
        '{"type":"hello","version":1,"pid":2,"session":"s","warnings":[{"toString":1}]}',
        '{"type":"error","code":"internal","message":"m","details":[{"valueOf":{},"toString":{}}]}',
        '{"type":"progress","name":"a","step":"ready","details":[{"toString":""}]}',
      ]
    ) {
      assert.equal(decodeOrProtocolError(decodeReply, parseJsonLine(line)), null, line);
    }
  },
});

Deno.test("property: decodeOkData gives typed data or a ProtocolError for any JSON", async () => {
  await forAll("decodeOkData", propertyRuns(3000), (rng) => {
    const [validType, valid] = rng.pick(OK_DATA);
    const type = rng.chance(0.8) ? validType : rng.pick(REQUEST_TYPE_LIST);
    const v = rng.chance(0.3) ? jsonValue(rng) : mutated(rng, [valid]);
    decodeOrProtocolError((d: unknown) => decodeOkData(type, d), v);
  });
});
