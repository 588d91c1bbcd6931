/** Tests for the dotenv parser. */

import assert from "node:assert/strict";
import { parseDotenv } from "./dotenv.ts";

function vars(text: string): Record<string, string> {
  const r = parseDotenv(text);
  if (!r.ok) throw new Error(`${r.line}:${r.col}: ${r.message}`);
  return r.vars;
}

Deno.test("dotenv: plain, export, comments, blanks, spaces", () => {
  const text =
    "# comment\n\nA=1\nexport B=two words  \nC = spaced # trailing\n  D=indented\nE=\nF=#x\nexport=kw\nG=a#b\n";
  assert.deepEqual(vars(text), {
    A: "1",
    B: "two words",
    C: "spaced",
    D: "indented",
    E: "",
    F: "",
    export: "kw",
    G: "a#b",
  });
});

Deno.test("dotenv: quotes, escapes, multi-line, CRLF; later keys win", () => {
  const text =
    'A="x\\ny\\t\\"q\\" \\\\ \\$HOME"\r\nB=\'lit\\n $X\'\nC="multi\nline" # c\nD=\'a\nb\'\nA=last\nK.dot-ted=1\n';
  assert.deepEqual(vars(text), {
    A: "last",
    B: "lit\\n $X",
    C: "multi\nline",
    D: "a\nb",
    "K.dot-ted": "1",
  });
  assert.deepEqual(vars('Q="a\\qb"\n'), { Q: "a\\qb" });
});

Deno.test("dotenv: errors with line and column", () => {
  const cases: [string, number, number, string][] = [
    ["A=1\nnot a line\n", 2, 1, 'expected KEY=VALUE, got "not a line"'],
    ["A=1\n  9X=1\n", 2, 3, 'invalid variable name "9X"'],
    ['A=1\nB="open\nC=2\n', 2, 3, 'missing closing "'],
    ["B='open\n", 1, 3, "missing closing '"],
    ['A="x" y\n', 1, 6, "unexpected text after the closing quote"],
    ['A="x\ny"z\n', 2, 3, "unexpected text after the closing quote"],
  ];
  for (const [text, line, col, message] of cases) {
    assert.deepEqual(parseDotenv(text), { ok: false, line, col, message }, JSON.stringify(text));
  }
});
