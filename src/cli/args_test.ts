/** Unit tests of the table-driven argument parser. */

import { deepStrictEqual as eq } from "node:assert/strict";
import { parseFlags } from "./args.ts";
import type { FlagSpec } from "./table.ts";

const specs: FlagSpec[] = [
  { name: "name", short: "n", kind: "string", help: "" },
  { name: "env", short: "e", kind: "env", help: "" },
  { name: "follow", short: "f", kind: "boolean", help: "" },
  { name: "all", short: "a", kind: "boolean", help: "" },
];

Deno.test("long, short, attached and bundled flags; positionals anywhere", () => {
  eq(parseFlags(["run", "--name", "web", "x", "-e", "A=1", "--env=B=2", "-fa", "-nfoo"], specs), {
    ok: true,
    flags: { name: "foo", env: ["A=1", "B=2"], follow: true, all: true },
    args: ["run", "x"],
  });
});

Deno.test("-- ends flags; negative numbers are positionals", () => {
  eq(parseFlags(["-n", "w", "--", "npm", "run", "dev", "--port", "3000"], specs), {
    ok: true,
    flags: { name: "w" },
    args: ["npm", "run", "dev", "--port", "3000"],
  });
  eq(parseFlags(["-1"], specs), { ok: true, flags: {}, args: ["-1"] });
});

Deno.test("errors: unknown option, missing value, value on a boolean", () => {
  eq(parseFlags(["--bogus"], specs), { ok: false, message: "unknown option --bogus" });
  eq(parseFlags(["-z"], specs), { ok: false, message: "unknown option -z" });
  eq(parseFlags(["--name"], specs), { ok: false, message: "option --name needs a value" });
  eq(parseFlags(["--follow=yes"], specs), {
    ok: false,
    message: "option --follow does not take a value",
  });
});
