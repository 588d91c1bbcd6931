/** Unit tests of format detection: by file name, then by content. */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { detectFormat } from "./detect.ts";

Deno.test("detect: by file name", () => {
  assertEquals(detectFormat("/a/Procfile", ""), "procfile");
  assertEquals(detectFormat("/a/Procfile.dev", ""), "procfile");
  assertEquals(detectFormat("/a/package.json", ""), "package.json");
  assertEquals(detectFormat("/a/deno.json", ""), "deno.json");
  assertEquals(detectFormat("/a/process-compose.yml", ""), "process-compose");
  assertEquals(detectFormat("/a/process-compose.override.yaml", ""), "process-compose");
  assertEquals(detectFormat("/a/agent-procs.yaml", "version: 1\nprocesses: {}"), "agent-procs");
});

Deno.test("detect: by content when the name says nothing", () => {
  assertEquals(detectFormat("/a/stack", "web: npm start\n# c\nworker: x\n"), "procfile");
  assertEquals(detectFormat("/a/x.json", '{"scripts": {"dev": "vite"}}'), "package.json");
  assertEquals(detectFormat("/a/x.json", '{"tasks": {"dev": "deno run a.ts"}}'), "deno.json");
  assertEquals(
    detectFormat("/a/x.yaml", "processes:\n  web:\n    command: npm start\n"),
    "process-compose",
  );
  assertEquals(detectFormat("/a/x.yaml", 'version: "0.5"\nprocesses: {}\n'), "process-compose");
  assertEquals(
    detectFormat("/a/x.yaml", "processes:\n  web:\n    cmd: npm start\n"),
    "agent-procs",
  );
  assertEquals(detectFormat("/a/x.yaml", "- a list\n"), "agent-procs");
});
