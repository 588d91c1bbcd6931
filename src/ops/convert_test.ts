/** Unit tests of option conversion: the same checks for CLI text and MCP values. */

import { deepEqual, equal, throws } from "node:assert/strict";
import { CliError } from "../errors.ts";
import { convert, readOptions } from "./convert.ts";
import { OPT, RUN_OPTIONS } from "./options.ts";

const usage = (re: RegExp) => (e: unknown) => e instanceof CliError && re.test(e.message);

Deno.test("convert: CLI text becomes typed values", () => {
  equal(convert(OPT.tail, "50", "cli"), 50);
  equal(convert(OPT.runTimeout, "1.5", "cli"), 1500);
  equal(convert(OPT.port, "3000", "cli"), 3000);
  equal(convert(OPT.autorestart, "on-failure", "cli"), "on-failure");
  deepEqual(convert(OPT.env, ["A=1", "B=x=y"], "cli"), { A: "1", B: "x=y" });
  deepEqual(convert(OPT.watch, "src/**", "cli"), ["src/**"]);
});

Deno.test("convert: MCP values keep their units (seconds become ms)", () => {
  equal(convert(OPT.runTimeout, 0.5, "mcp"), 500);
  equal(convert(OPT.restartDelay, 250, "mcp"), 250);
  deepEqual(convert(OPT.env, { A: "1" }, "mcp"), { A: "1" });
});

Deno.test("convert: malformed values are usage errors naming the flag", () => {
  throws(() => convert(OPT.tail, "notanumber", "cli"), usage(/--tail expects a whole number/));
  throws(() => convert(OPT.tail, "-1", "cli"), usage(/--tail/));
  throws(() => convert(OPT.port, "70000", "cli"), usage(/--port expects 1-65535/));
  throws(() => convert(OPT.port, "80x", "cli"), usage(/--port/));
  throws(() => convert(OPT.runTimeout, "soon", "cli"), usage(/--timeout expects seconds/));
  throws(
    () => convert(OPT.autorestart, "sometimes", "cli"),
    usage(/--autorestart expects always, on-failure or never/),
  );
  throws(() => convert(OPT.env, ["NOEQUALS"], "cli"), usage(/--env expects K=V/));
  throws(() => convert(OPT.tail, "5", "mcp"), usage(/--tail/));
});

Deno.test("readOptions: absent options stay absent; MCP false switches are absent", () => {
  const cli = readOptions(RUN_OPTIONS, (o) => ({ name: "web", proxy: true })[o.name], "cli");
  deepEqual(cli, { name: "web", proxy: true });
  const mcp = readOptions(
    RUN_OPTIONS,
    (o) => ({ proxy: false, max_restarts: 3 })[o.name.replaceAll("-", "_")],
    "mcp",
  );
  deepEqual(mcp, { maxRestarts: 3 });
});
