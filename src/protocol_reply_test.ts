/** Unit tests of reply decoding: typed data per request type, malformed replies refused. */

import { deepEqual, equal, throws } from "node:assert/strict";
import { ProtocolError } from "./protocol.ts";
import { decodeOkData, decodeReply, decodeWireLine } from "./protocol_reply.ts";
import { sampleRow } from "./testkit.ts";

const row = sampleRow({ log_error: "disk full" });

const bad = (re: RegExp) => (e: unknown) => e instanceof ProtocolError && re.test(e.message);

Deno.test("decodeOkData: each request type gets its own checked data", () => {
  equal(decodeOkData("status", [row])[0].log_error, "disk full");
  equal(decodeOkData("run", row).pid, 42);
  deepEqual(decodeOkData("stop", ["a"]), ["a"]);
  deepEqual(decodeOkData("down", { stopped: ["a"], forgotten: [] }), {
    stopped: ["a"],
    forgotten: [],
  });
  deepEqual(decodeOkData("wait", { kind: "exited", exitCode: 1, signal: null }), {
    kind: "exited",
    exitCode: 1,
    signal: null,
  });
  equal(decodeOkData("ping", "anything"), null);
  const up = decodeOkData("up", { processes: [row], failed: [], blocked: [], proxy: null });
  equal(up.processes[0].name, "web");
});

Deno.test("decodeOkData: rows missing fields or with wrong types are refused", () => {
  throws(() => decodeOkData("status", [{ ...row, pid: "42" }]), bad(/pid/));
  throws(() => decodeOkData("status", [{ ...row, state: "dancing" }]), bad(/state/));
  throws(() => decodeOkData("status", [{ ...row, restart_policy: "maybe" }]), bad(/restart/));
  throws(() => decodeOkData("status", { not: "a list" }), bad(/list/));
  throws(() => decodeOkData("stop", [1]), bad(/strings/));
  throws(() => decodeOkData("wait", { kind: "matched", line: { seq: 1 } }), bad(/stream/));
});

Deno.test("decodeReply: hello warnings, lines and progress are checked in depth", () => {
  const hello = decodeReply({
    type: "hello",
    version: 1,
    pid: 9,
    session: "s",
    warnings: ["cannot save state: disk full"],
  });
  deepEqual(hello.type === "hello" && hello.warnings, ["cannot save state: disk full"]);
  const old = decodeReply({ type: "hello", version: 1, pid: 9, session: "s" });
  deepEqual(old.type === "hello" && old.warnings, []);
  throws(
    () => decodeReply({ type: "lines", process: "w", lines: [{ seq: "x", stream: "stdout" }] }),
    bad(/seq/),
  );
  throws(() => decodeReply({ type: "error", code: "weird", message: "m" }), bad(/code/));
  throws(
    () => decodeReply({ type: "progress", name: "w", step: "dancing", info: null }),
    bad(/step/),
  );
});

Deno.test("decodeWireLine: the three streams pass, anything else is a protocol error", () => {
  for (const stream of ["stdout", "stderr", "browser"]) {
    const line = { seq: 1, ts: 2, stream, generation: 1, text: "x", annotation: false };
    equal(decodeWireLine(line).stream, stream);
  }
  throws(() => decodeWireLine({ seq: 1, ts: 2, stream: "web", generation: 1, text: "x" }));
});
