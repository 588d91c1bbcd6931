/** Unit tests of a tool call's context: session precedence and name checks. */

import { equal, throws } from "node:assert/strict";
import { CliError } from "../errors.ts";
import { toolContext } from "./context.ts";

Deno.test("toolContext: the call's session wins over the server's, which wins over the rest", () => {
  const a = toolContext("srv", "mine");
  equal(a.ctx.paths.session, "mine");
  equal(a.ctx.session.source, "flag");
  const b = toolContext("srv", undefined);
  equal(b.ctx.paths.session, "srv");
});

Deno.test("toolContext: warnings are collected once each as warning lines", () => {
  const t = toolContext("srv", undefined);
  t.ctx.warn("cannot save state: disk full");
  t.ctx.warn("cannot save state: disk full");
  equal(t.warnings.join("|"), "warning: cannot save state: disk full");
});

Deno.test("toolContext: a bad session name is the CLI's error", () => {
  throws(
    () => toolContext(undefined, "../x"),
    (e: unknown) => e instanceof CliError && /session/.test(e.message),
  );
});
