/** Unit tests of path derivation and name rules. */

import { equal, ok } from "node:assert/strict";
import { baseDirs, nameError, sessionPaths } from "./paths.ts";

const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });

Deno.test("AGENT_PROCS_HOME puts everything under one root", () => {
  const b = baseDirs(env({ AGENT_PROCS_HOME: "/h" }));
  const p = sessionPaths("dev", b);
  equal(p.socket, "/h/run/dev.sock");
  equal(p.stateFile, "/h/state/sessions/dev/state.json");
  equal(p.logsDir, "/h/state/sessions/dev/logs");
});

Deno.test("XDG directories, else /tmp/agent-procs-UID and ~/.local/state", () => {
  const x = baseDirs(
    env({ XDG_RUNTIME_DIR: "/run/user/7", XDG_STATE_HOME: "/s", HOME: "/home/u" }),
  );
  equal(x.runtimeRoot, "/run/user/7/agent-procs");
  equal(x.stateRoot, "/s/agent-procs");
  const d = baseDirs(env({ HOME: "/home/u" }));
  ok(/^\/tmp\/agent-procs-\d+$/.test(d.runtimeRoot), d.runtimeRoot);
  equal(d.stateRoot, "/home/u/.local/state/agent-procs");
});

Deno.test("socket paths stay under 100 bytes for long names and deep homes", () => {
  const long = "a".repeat(64);
  for (const home of ["/h", `/tmp/${"d".repeat(60)}`, `/${"x".repeat(150)}`]) {
    const p = sessionPaths(long, baseDirs(env({ AGENT_PROCS_HOME: home })));
    ok(new TextEncoder().encode(p.socket).length <= 100, p.socket);
  }
  // Different sessions never share a shortened socket.
  const b = baseDirs(env({ AGENT_PROCS_HOME: `/tmp/${"d".repeat(60)}` }));
  ok(sessionPaths(long, b).socket !== sessionPaths(long.slice(1) + "b", b).socket);
});

Deno.test("names: 1-64 of A-Z a-z 0-9 . _ -, not starting with . or -", () => {
  for (const good of ["a", "web-1", "my_app.v2", "A".repeat(64), "_x"]) {
    equal(nameError("session", good), null);
  }
  for (const bad of ["", ".x", "-x", "../x", "a/b", "a b", "A".repeat(65), "é"]) {
    ok(nameError("process", bad)?.startsWith("invalid process name"), bad);
  }
});
