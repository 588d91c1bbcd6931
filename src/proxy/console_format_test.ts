/** Unit tests of the console batch decoder and the log-line formatter. */

import assert from "node:assert/strict";
import { decodeBatch, formatEntry, MAX_BATCH_ENTRIES, MAX_LINE_CHARS } from "./console_format.ts";

Deno.test("decodeBatch accepts the capture script's shape", () => {
  assert.deepEqual(
    decodeBatch({
      entries: [
        { level: "error", text: "Uncaught TypeError: x", url: "http://w/a.js", line: 3, col: 5 },
        { level: "log", text: "hi" },
      ],
    }),
    {
      ok: true,
      entries: [
        { level: "error", text: "Uncaught TypeError: x", url: "http://w/a.js", line: 3, col: 5 },
        { level: "log", text: "hi", url: null, line: null, col: null },
      ],
    },
  );
});

Deno.test("decodeBatch refuses other shapes", () => {
  const bad: unknown[] = [
    null,
    [],
    { entries: {} },
    { entries: [1] },
    { entries: [{ level: "fatal", text: "x" }] },
    { entries: [{ level: "log" }] },
    { entries: [{ level: "log", text: "x", url: 5 }] },
    { entries: [{ level: "log", text: "x", line: 1.5 }] },
    { entries: [{ level: "log", text: "x", col: -1 }] },
    { entries: Array.from({ length: MAX_BATCH_ENTRIES + 1 }, () => ({ level: "log", text: "" })) },
  ];
  for (const b of bad) assert.equal(decodeBatch(b).ok, false, JSON.stringify(b)?.slice(0, 80));
});

Deno.test("formatEntry builds one capped line with the location", () => {
  const e = { level: "error" as const, text: "boom", url: "http://w/a.js", line: 3, col: 5 };
  assert.deepEqual(formatEntry(e), {
    level: "error",
    text: "[browser] error boom (http://w/a.js:3:5)",
  });
  assert.equal(formatEntry({ ...e, col: null }).text, "[browser] error boom (http://w/a.js:3)");
  assert.equal(
    formatEntry({ ...e, line: null, col: null }).text,
    "[browser] error boom (http://w/a.js)",
  );
  assert.equal(formatEntry({ ...e, url: null }).text, "[browser] error boom");
  assert.equal(
    formatEntry({ ...e, url: null, text: "a\nb\r\x1b[31mc\td" }).text,
    "[browser] error a\\nb\\r\\x1b[31mc\td",
  );
  const long = formatEntry({ ...e, text: "x".repeat(10_000) }).text;
  assert.ok(long.length <= MAX_LINE_CHARS, String(long.length));
  assert.match(long, /x … \(\d+ more chars\) \(http:\/\/w\/a\.js:3:5\)$/);
});
