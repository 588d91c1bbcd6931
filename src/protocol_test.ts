/** Unit tests of the wire protocol: framing, size cap, request validation. */

import { deepStrictEqual as eq, equal, throws } from "node:assert/strict";
import {
  decodeRequest,
  encodeLine,
  LineSplitter,
  MAX_MESSAGE_BYTES,
  parseJsonLine,
  ProtocolError,
} from "./protocol.ts";

const enc = new TextEncoder();

Deno.test("the splitter joins lines across chunks and keeps partial ones", () => {
  const s = new LineSplitter();
  eq(s.push(enc.encode('{"a":1}\n{"b"')), ['{"a":1}']);
  eq(s.push(enc.encode(":2}\n\n")), ['{"b":2}', ""]);
  eq(s.push(enc.encode("é")), []);
  eq(s.push(enc.encode("\n")), ["é"]);
});

Deno.test("a message over the cap is refused, with or without a newline", () => {
  const big = new Uint8Array(MAX_MESSAGE_BYTES + 1).fill(0x61);
  throws(() => new LineSplitter().push(big), ProtocolError);
  const s = new LineSplitter();
  s.push(big.subarray(0, MAX_MESSAGE_BYTES));
  throws(() => s.push(enc.encode("aa\n")), ProtocolError);
});

Deno.test("requests are validated into typed values", () => {
  eq(decodeRequest({ type: "stop", targets: ["a", "b"] }), { type: "stop", targets: ["a", "b"] });
  eq(
    decodeRequest({
      type: "wait",
      target: "w",
      condition: { kind: "until", pattern: "x", regex: true },
      timeoutMs: 5,
    }),
    {
      type: "wait",
      target: "w",
      condition: { kind: "until", pattern: "x", regex: true },
      timeoutMs: 5,
    },
  );
  for (
    const bad of [
      null,
      [],
      { type: "nope" },
      { type: "stop", targets: "a" },
      { type: "stop", targets: [1] },
      { type: "wait", target: "w", condition: { kind: "sleep" }, timeoutMs: 1 },
      { type: "wait", target: "w", condition: { kind: "exit" }, timeoutMs: Infinity },
      { type: "run", spec: { name: "x" } },
    ]
  ) {
    throws(() => decodeRequest(bad), ProtocolError, JSON.stringify(bad));
  }
  throws(() => parseJsonLine("{nope"), ProtocolError);
});

Deno.test("encodeLine writes one JSON line", () => {
  equal(
    new TextDecoder().decode(encodeLine({ type: "ok", data: [1] })),
    '{"type":"ok","data":[1]}\n',
  );
});
