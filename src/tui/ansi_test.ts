/** Tests of output sanitizing, width, wrapping and fitting. */

import { deepEqual as assertEquals } from "node:assert/strict";
import { fit, sanitize, stripSgr, visibleWidth, wrap, wrapCount } from "./ansi.ts";
import { textWidth } from "./width.ts";

const RED = "\x1b[31m";
const RESET = "\x1b[0m";

Deno.test("sanitize keeps SGR colour sequences", () => {
  const s = `${RED}error${RESET} and \x1b[1;38;5;208mbold orange\x1b[m`;
  assertEquals(sanitize(s), s);
});

Deno.test("sanitize strips cursor moves, screen clears, OSC titles and other escapes", () => {
  assertEquals(sanitize("a\x1b[2Jb\x1b[10;5Hc\x1b[?25ld\x1b[Ke"), "abcde");
  assertEquals(sanitize("x\x1b]0;title\x07y\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\z"), "xylinkz");
  assertEquals(sanitize("p\x1bPdcs data\x1b\\q\x1b(Br\x1bcs"), "pqrs");
  // An SGR with private parameters is not plain SGR: dropped.
  assertEquals(sanitize("a\x1b[>4;1mb"), "ab");
  // Unterminated sequences at the end are dropped, not shown.
  assertEquals(sanitize("tail\x1b[12"), "tail");
});

Deno.test("sanitize removes control characters and expands tabs", () => {
  assertEquals(sanitize("a\x07b\x08c\x00d\x7fe\u009bf"), "abcdef");
  assertEquals(sanitize("ab\tc"), "ab      c");
  assertEquals(sanitize("\tx"), "        x");
  // Tab stops count visible cells only, not SGR bytes or wide characters twice.
  assertEquals(sanitize(`${RED}ab${RESET}\tc`), `${RED}ab${RESET}      c`);
  assertEquals(sanitize("漢\tc"), "漢      c");
});

Deno.test("sanitize shows what a carriage-return progress bar ends with", () => {
  assertEquals(sanitize("10%\r50%\r100%"), "100%");
  assertEquals(sanitize("done\r"), "done");
  assertEquals(sanitize("line\r\n"), "line");
  assertEquals(sanitize("crlf line\r"), "crlf line");
});

Deno.test("visible width ignores SGR and counts wide characters twice", () => {
  assertEquals(visibleWidth(`${RED}hello${RESET}`), 5);
  assertEquals(visibleWidth("漢字"), 4);
  assertEquals(visibleWidth("e\u0301"), 1); // e + combining acute
  assertEquals(visibleWidth("🎉!"), 3);
  assertEquals(visibleWidth("👩‍👩‍👧"), 2); // one ZWJ cluster
  assertEquals(textWidth("ｈｉ"), 4); // fullwidth latin
  assertEquals(stripSgr(`${RED}x${RESET}`), "x");
});

Deno.test("wrap splits plain text at the width", () => {
  assertEquals(wrap("abcdefg", 3), ["abc", "def", "g"]);
  assertEquals(wrap("", 5), [""]);
  assertEquals(wrapCount("abcdefg", 3), 3);
  assertEquals(wrapCount("abc", 3), 1);
});

Deno.test("wrap never splits a wide character and carries colour to the next row", () => {
  assertEquals(wrap("ab漢字", 3), ["ab", "漢", "字"]);
  const rows = wrap(`${RED}abcdef${RESET}gh`, 4);
  assertEquals(rows.map(stripSgr), ["abcd", "efgh"]);
  assertEquals(rows[1].startsWith(RED), true, "second row starts red");
  assertEquals(rows.every((r) => visibleWidth(r) <= 4), true);
  // After a reset, the next row does not restart the colour.
  const reset = wrap(`${RED}ab${RESET}cdef`, 4);
  assertEquals(reset[1], "ef");
});

Deno.test("fit truncates and pads to exactly the width, closing styles", () => {
  assertEquals(fit("abc", 5), "abc  ");
  assertEquals(fit("abcdef", 4), "abcd");
  assertEquals(fit("漢字", 3), "漢 "); // the second wide char does not fit
  const styled = fit(`${RED}abcdef`, 3);
  assertEquals(styled, `${RED}abc${RESET}`);
  assertEquals(visibleWidth(fit(`${RED}a${RESET}🎉b`, 6)), 6);
});
