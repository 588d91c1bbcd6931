/** Unit tests of the bytes `send` writes: words, newline, keys, and usage errors. */

import { equal, throws } from "node:assert/strict";
import { sendText } from "./send.ts";
import { CliError } from "../errors.ts";

Deno.test("sendText: words joined by spaces, then a newline unless --no-newline", () => {
  equal(sendText({ text: ["hello", "world"] }), "hello world\n");
  equal(sendText({ text: ["y"], noNewline: true }), "y");
  equal(sendText({ text: [], eof: true }), "");
});

Deno.test("sendText: keys follow the text as the bytes of §16", () => {
  equal(sendText({ text: [], key: ["down", "enter"] }), "\x1b[B\n");
  equal(sendText({ text: [], key: ["ctrl-c"] }), "\x03");
  equal(sendText({ text: [], key: ["Ctrl-D", "esc", "tab", "up"] }), "\x04\x1b\t\x1b[A");
  equal(sendText({ text: ["a"], noNewline: true, key: ["tab"] }), "a\t");
});

Deno.test("sendText: an unknown key or nothing to send is a usage error", () => {
  throws(() => sendText({ text: [], key: ["f13"] }), CliError);
  throws(() => sendText({ text: [] }), /nothing to send/);
});
