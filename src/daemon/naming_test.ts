/** Unit tests of generated process names. */

import { equal } from "node:assert/strict";
import { baseName, generateName } from "./naming.ts";

Deno.test("the base name is the command's first real word", () => {
  equal(baseName("python3 -m http.server 8000"), "python3");
  equal(baseName("PORT=3000 NODE_ENV=dev npm run dev"), "npm");
  equal(baseName("exec ./node_modules/.bin/vite --port 3000"), "vite");
  equal(baseName("/usr/bin/env node server.js"), "env");
  equal(baseName("env FOO=1 node server.js"), "node");
  equal(baseName("echo hi && sleep 1"), "echo");
  equal(baseName("(cd x; make)"), "cd");
  equal(baseName("'quoted thing'"), "quoted");
  equal(baseName("   "), "proc");
});

Deno.test("a live name gets a numeric suffix", () => {
  equal(generateName("npm run dev", new Set()), "npm");
  equal(generateName("npm run dev", new Set(["npm"])), "npm-2");
  equal(generateName("npm test", new Set(["npm", "npm-2"])), "npm-3");
});
