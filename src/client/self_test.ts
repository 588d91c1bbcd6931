/** Unit tests of the self-invocation decision in both modes. */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  DAEMON_V8_FLAGS,
  daemonV8Env,
  knowsLazyNpm,
  LAZY_NPM_FLAG,
  modeName,
  selfCommand,
} from "./self.ts";

Deno.test("script mode re-runs deno with the main module", () => {
  const f = {
    standalone: false,
    execPath: "/usr/bin/deno",
    mainModule: "file:///x/main.ts",
    denoVersion: "2.9.6",
  };
  assertEquals(selfCommand(f, ["__daemon", "s"]), {
    cmd: "/usr/bin/deno",
    args: ["run", "-A", "--quiet", LAZY_NPM_FLAG, "file:///x/main.ts", "__daemon", "s"],
  });
  assertEquals(modeName(f), "script");
  // A Deno that does not know the flag does not get it.
  assertEquals(selfCommand({ ...f, denoVersion: "2.4.1" }, ["x"]).args, [
    "run",
    "-A",
    "--quiet",
    "file:///x/main.ts",
    "x",
  ]);
});

Deno.test("binary mode re-runs the executable itself", () => {
  const f = {
    standalone: true,
    execPath: "/opt/agent-procs",
    mainModule: "file:///ignored.ts",
    denoVersion: "2.9.6",
  };
  assertEquals(selfCommand(f, ["__daemon", "s"]), {
    cmd: "/opt/agent-procs",
    args: ["__daemon", "s"],
  });
  assertEquals(modeName(f), "binary");
});

Deno.test("knowsLazyNpm: 2.9 and later", () => {
  assertEquals(["2.9.6", "2.10.0", "3.0.0", "2.8.9", "1.46.3"].map(knowsLazyNpm), [
    true,
    true,
    true,
    false,
    false,
  ]);
});

Deno.test("daemonV8Env: the daemon's flags, after the user's own", () => {
  assertEquals(daemonV8Env(undefined), { DENO_V8_FLAGS: DAEMON_V8_FLAGS.join(",") });
  assertEquals(daemonV8Env(""), { DENO_V8_FLAGS: DAEMON_V8_FLAGS.join(",") });
  assertEquals(daemonV8Env("--stack-size=2000"), {
    DENO_V8_FLAGS: ["--stack-size=2000", ...DAEMON_V8_FLAGS].join(","),
  });
});
