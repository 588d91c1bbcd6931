/** Unit tests of `run`'s spec building: paths, env layering, defaults. */

import { deepEqual, equal, throws } from "node:assert/strict";
import { CliError } from "../errors.ts";
import { SPEC_DEFAULTS } from "../model.ts";
import type { OpContext } from "./context.ts";
import { resolvePath, runSpec } from "./run.ts";

Deno.test("resolvePath: relative paths join the base and lose . and ..", () => {
  equal(resolvePath("/a/b", "../c/./d"), "/a/c/d");
  equal(resolvePath("/a/b", "."), "/a/b");
  equal(resolvePath("/a/b", "/x/../y"), "/y");
});

function ctx(cwd: string): OpContext {
  return {
    paths: {} as OpContext["paths"],
    session: { name: "t", source: "default", configPath: null },
    cwd,
    env: { PATH: "/bin", PORT: "1" },
    warn: () => {},
  };
}

Deno.test("runSpec: caller env, then PORT/HOST, then the user's variables win", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const s = runSpec({ cmd: "x", port: 4000, env: { HOST: "0.0.0.0" } }, ctx(dir));
    equal(s.cwd, dir);
    deepEqual(s.env, { PATH: "/bin", PORT: "4000", HOST: "0.0.0.0" });
    deepEqual(s.userEnv, { HOST: "0.0.0.0" });
    equal(s.autorestart, SPEC_DEFAULTS.autorestart);
    equal(s.restartDelayMs, SPEC_DEFAULTS.restartDelayMs);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runSpec: a missing cwd or an empty command is a usage error", () => {
  const isUsage = (re: RegExp) => (e: unknown) => e instanceof CliError && re.test(e.message);
  throws(() => runSpec({ cmd: "x", cwd: "/no/such/dir" }, ctx("/")), isUsage(/does not exist/));
  throws(() => runSpec({ cmd: "  " }, ctx("/")), isUsage(/empty/));
});
