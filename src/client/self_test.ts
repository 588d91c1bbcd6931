/** Unit tests of the self-invocation decision in both modes. */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { modeName, selfCommand } from "./self.ts";

Deno.test("script mode re-runs deno with the main module", () => {
  const f = { standalone: false, execPath: "/usr/bin/deno", mainModule: "file:///x/main.ts" };
  assertEquals(selfCommand(f, ["__daemon", "s"]), {
    cmd: "/usr/bin/deno",
    args: ["run", "-A", "--quiet", "file:///x/main.ts", "__daemon", "s"],
  });
  assertEquals(modeName(f), "script");
});

Deno.test("binary mode re-runs the executable itself", () => {
  const f = { standalone: true, execPath: "/opt/agent-procs", mainModule: "file:///ignored.ts" };
  assertEquals(selfCommand(f, ["__daemon", "s"]), {
    cmd: "/opt/agent-procs",
    args: ["__daemon", "s"],
  });
  assertEquals(modeName(f), "binary");
});
