import { deepEqual } from "node:assert/strict";
import { candidateLines } from "./grep.ts";
import { compilePattern } from "./pattern.ts";
import { decodeUtf8 } from "./text.ts";

function cands(text: string | Uint8Array, pattern: string, regex = false): string[] {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const r = compilePattern(pattern, { regex });
  if (!r.ok) throw new Error(r.error);
  const out = candidateLines(bytes, decodeUtf8(bytes), r.matcher);
  const lines: string[] = [];
  for (let i = 0; i < out.length; i += 2) {
    lines.push(decodeUtf8(bytes.subarray(out[i], out[i + 1])));
  }
  return lines;
}

Deno.test("candidate lines of an ASCII block", () => {
  deepEqual(cands("foo\nbar\nfoobar foo\nbaz", "foo"), ["foo", "foobar foo"]);
  deepEqual(cands("a\nb", "zzz"), []);
  deepEqual(cands("x\nlast", "last"), ["last"]);
});

Deno.test("candidate lines map back to bytes when the block is not ASCII", () => {
  deepEqual(cands("héllo\n€ needle\nplain\n😀 needle 😀\nend", "needle"), [
    "€ needle",
    "😀 needle 😀",
  ]);
  const bytes = new Uint8Array([0xff, 0xfe, 10, ...new TextEncoder().encode("é needle"), 10, 0x61]);
  deepEqual(cands(bytes, "needle"), ["é needle"]);
});

Deno.test("empty lines and empty patterns", () => {
  deepEqual(cands("a\n\nb", ""), ["a", "", "b"]);
  deepEqual(cands("a\n\nb", "^$", true), [""]);
});

Deno.test("a match spanning lines still yields each line start for checking", () => {
  deepEqual(cands("xa\nay", "x[^q]*y|a.*", true), ["xa", "ay"]);
});
