import { equal } from "node:assert/strict";
import { lineText, visibleText } from "./text.ts";

Deno.test("CRLF loses its \\r", () => {
  equal(visibleText("hello\r"), "hello");
});

Deno.test("a progress bar shows only its last state", () => {
  equal(visibleText("10%\r50%\r100%"), "100%");
  equal(visibleText("10%\r50%\r100%\r"), "100%");
  equal(visibleText("\r"), "");
});

Deno.test("invalid UTF-8 becomes U+FFFD, valid multi-byte text survives", () => {
  equal(lineText(new Uint8Array([0x61, 0xff, 0x62, 0xe2, 0x82])), "a\uFFFDb\uFFFD");
  equal(lineText(new TextEncoder().encode("héllo ✓ 😀")), "héllo ✓ 😀");
});

Deno.test("a BOM is kept as a character, not silently dropped", () => {
  equal(lineText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), "\uFEFFa");
});
