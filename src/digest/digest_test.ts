/**
 * The digest against real failure output (produced here by running Python,
 * Node, Deno, rustc, sh and npm; the Go panic and the old `npm ERR!` format
 * are written from their documented shapes). Each case states lines the
 * digest must contain, lines it must not, and its caps.
 */

import { equal, ok } from "node:assert/strict";
import { buildDigest, isErrorLine, MAX_DIGEST_BYTES, MAX_DIGEST_LINES } from "./digest.ts";
import { cleanLines, collapseCarriageReturns, stripAnsi } from "./clean.ts";

function fixture(name: string): string[] {
  return Deno.readTextFileSync(new URL(`./fixtures/${name}`, import.meta.url)).split("\n");
}

interface Case {
  file: string;
  headline: RegExp;
  has: RegExp[];
  hasNot?: RegExp[];
  maxLines: number;
}

/** Matches an escape character (colours must be stripped). */
const ESC = new RegExp(String.fromCharCode(27));

const CASES: Case[] = [
  {
    file: "py_traceback.txt",
    headline: /^FileNotFoundError: \[Errno 2\]/,
    has: [/^Traceback \(most recent call last\):$/, /^FileNotFoundError/, /line 3, in load/],
    hasNot: [/tick/],
    maxLines: 10,
  },
  {
    file: "py_syntax.txt",
    headline: /^SyntaxError: invalid syntax$/,
    has: [/syn\.py", line 1/, /def broken\(:/],
    maxLines: 4,
  },
  {
    file: "node_eaddrinuse.txt",
    headline: /^Error: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+$/,
    has: [/at Server\.setupListenHandle/],
    hasNot: [/ready in 12ms/, /Node\.js v/],
    maxLines: 10,
  },
  {
    file: "node_typeerror.txt",
    headline: /^TypeError: Cannot read properties of undefined \(reading 'port'\)$/,
    has: [/te\.js:3$/, /at start \(/],
    hasNot: [/compiled successfully/],
    maxLines: 10,
  },
  {
    file: "deno_check.txt",
    headline: /^TS2322 \[ERROR\]: Type 'string' is not assignable/,
    has: [/const port: number = "3000";/, /ty\.ts:1:7/],
    hasNot: [ESC, /Stack backtrace/],
    maxLines: 5,
  },
  {
    file: "deno_uncaught.txt",
    headline: /^error: Uncaught \(in promise\) Error: boom from deno$/,
    has: [/th\.ts:1:7/],
    hasNot: [ESC],
    maxLines: 5,
  },
  {
    file: "rust_error.txt",
    headline: /^error\[E0308\]: mismatched types$/,
    has: [/--> m\.rs:2:18/, /expected `i32`, found `&str`/],
    hasNot: [/aborting/],
    maxLines: 10,
  },
  {
    file: "rust_panic.txt",
    headline: /^thread 'main' .*panicked at p\.rs:1:55:$/,
    has: [/index out of bounds/],
    hasNot: [/rust_begin_unwind/],
    maxLines: 3,
  },
  {
    file: "go_panic.txt",
    headline: /^panic: runtime error: invalid memory address/,
    has: [/goroutine 1 \[running\]:/, /server\.go:42/],
    hasNot: [/loading routes/],
    maxLines: 9,
  },
  {
    file: "sh_not_found.txt",
    headline: /^sh: 1: vitte: not found$/,
    has: [/vitte: not found/],
    maxLines: 3,
  },
  {
    file: "npm_missing.txt",
    headline: /^npm error Missing script: "nosuch"$/,
    has: [/To see a list of scripts/],
    maxLines: 6,
  },
  {
    file: "npm_err_legacy.txt",
    headline: /^npm ERR! code ELIFECYCLE$/,
    has: [/Exit status 1/, /start: `node server\.js`/],
    hasNot: [/complete log/],
    maxLines: 6,
  },
  {
    file: "fatal_noise.txt",
    headline: /^FATAL: database connection refused/,
    has: [/^FATAL/],
    hasNot: [/GET \/api\/items/],
    maxLines: 3,
  },
  {
    file: "colors_repeats.txt",
    headline: /^error: something bold$/,
    has: [/^retrying connection\.\.\. \(×50\)$/, /^progress 100%$/, /^giving up$/],
    hasNot: [ESC, /progress 10%/],
    maxLines: 6,
  },
];

for (const c of CASES) {
  Deno.test(`digest of ${c.file}: the decisive error, within its caps`, () => {
    const d = buildDigest(fixture(c.file));
    const text = d.lines.join("\n");
    ok(c.headline.test(d.headline), `headline ${JSON.stringify(d.headline)}\n${text}`);
    for (const re of c.has) ok(d.lines.some((l) => re.test(l)), `missing ${re}\n${text}`);
    for (const re of c.hasNot ?? []) ok(!re.test(text), `unexpected ${re}\n${text}`);
    ok(d.lines.length <= c.maxLines, `${d.lines.length} lines\n${text}`);
    ok(new TextEncoder().encode(text).length <= MAX_DIGEST_BYTES);
  });
}

Deno.test("digest: never more than 20 lines or 2,000 bytes, long lines cut with …", () => {
  const long = Array.from(
    { length: 300 },
    (_, i) => `line ${i} ${"x".repeat(i % 7 === 0 ? 900 : 10)}`,
  );
  const d = buildDigest(long);
  ok(d.lines.length <= MAX_DIGEST_LINES, String(d.lines.length));
  ok(new TextEncoder().encode(d.lines.join("\n")).length <= MAX_DIGEST_BYTES);
  ok(d.lines.some((l) => l.endsWith("…")));
  equal(d.lines[d.lines.length - 1].startsWith("line 299"), true);
  const deep = ["Traceback (most recent call last):"];
  for (let i = 0; i < 60; i++) deep.push(`  File "a.py", line ${i}, in f`, `    f()`);
  deep.push("RecursionError: maximum recursion depth exceeded");
  const t = buildDigest(deep);
  equal(t.lines[0], "Traceback (most recent call last):");
  equal(t.lines[t.lines.length - 1], "RecursionError: maximum recursion depth exceeded");
  ok(t.lines.length <= MAX_DIGEST_LINES);
});

Deno.test("digest: no error-looking line gives the last lines", () => {
  const d = buildDigest(["a", "b", "c", "", ""]);
  equal(d.lines.join("|"), "a|b|c");
  equal(d.headline, "c");
  equal(buildDigest([]).lines.length, 0);
});

Deno.test("clean: ANSI stripped, \\r progress collapsed, identical runs counted", () => {
  equal(stripAnsi("\x1b[1;31mred\x1b[0m \x1b]0;title\x07ok"), "red ok");
  equal(collapseCarriageReturns("10%\r50%\r100%\r"), "100%");
  const c = cleanLines(["x", "x", "x", "y", "x"]);
  equal(c.map((l) => `${l.text}${l.count}`).join(","), "x3,y1,x1");
});

Deno.test("browser lines: an error line is decisive; warnings and logs never are", () => {
  const d = buildDigest([
    "[browser] log fetching failed items",
    "[browser] warn request failed, retrying",
    "[browser] error Uncaught TypeError: x is undefined (http://web.localhost:9090/app.js:12:5)",
    "[browser] log done",
  ]);
  ok(d.headline.includes("Uncaught TypeError: x is undefined"), d.headline);
  equal(isErrorLine("[browser] warn request failed"), false);
  equal(isErrorLine("[browser] log error handler installed"), false);
  equal(isErrorLine("[browser] error Failed to load resource: http://x/y.png"), true);
});
