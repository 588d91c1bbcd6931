/** Unit tests of the tool-call → CLI-context bridge. */

import { deepEqual, equal, throws } from "node:assert/strict";
import { CliError } from "../errors.ts";
import { envPairs, flags, toolContext } from "./context.ts";

Deno.test("flags: typed arguments become the CLI's flag values", () => {
  deepEqual(
    flags({
      max_restarts: 3,
      timeout: 0.5,
      proxy: true,
      regex: false,
      name: "web",
      watch: ["src/**"],
      cwd: undefined,
    }),
    { "max-restarts": "3", timeout: "0.5", proxy: true, name: "web", watch: ["src/**"] },
  );
  deepEqual(envPairs({ A: "1", B: "x=y" }), ["A=1", "B=x=y"]);
  equal(envPairs(undefined), undefined);
});

Deno.test("toolContext: the call's session wins over the server's; output is captured", () => {
  const a = toolContext("srv", { command: "status", args: ["web"], flags: {}, session: "mine" });
  equal(a.ctx.paths.session, "mine");
  equal(a.ctx.sessionSource, "flag");
  deepEqual([a.ctx.command, a.ctx.args, a.ctx.json], ["status", ["web"], false]);
  a.ctx.out("one");
  a.ctx.err("two");
  deepEqual(a.lines, ["one", "two"]);
  const b = toolContext("srv", { command: "status", args: [], flags: {} });
  equal(b.ctx.paths.session, "srv");
});

Deno.test("toolContext: a bad session name is the CLI's error", () => {
  throws(
    () => toolContext(undefined, { command: "status", args: [], flags: {}, session: "../x" }),
    (e: unknown) => e instanceof CliError && /session/.test(e.message),
  );
});
