/** Unit tests of `up`'s "is this process unchanged?" rule. */

import { equal } from "node:assert/strict";
import { defaultSpec } from "../model.ts";
import { sameSpec } from "./up.ts";

const base = defaultSpec({ name: "web", cmd: "serve", cwd: "/app" }, {
  env: { PATH: "/bin", PWD: "/app" },
  userEnv: { A: "1" },
  proxy: true,
  configPath: "/app/agent-procs.yaml",
});

Deno.test("the inherited env and an assigned port do not make a spec different", () => {
  const running = { ...base, port: 4123, env: { PATH: "/bin", PWD: "/elsewhere", PORT: "4123" } };
  equal(sameSpec(running, base), true);
});

Deno.test("a stated port, the command, the user's env or a policy do", () => {
  const running = { ...base, port: 4123 };
  equal(sameSpec(running, { ...base, port: 5000 }), false);
  equal(sameSpec(running, { ...base, port: 4123 }), true);
  equal(sameSpec(running, { ...base, cmd: "serve --v2" }), false);
  equal(sameSpec(running, { ...base, userEnv: { A: "2" } }), false);
  equal(sameSpec(running, { ...base, autorestart: "always" }), false);
  equal(sameSpec(running, { ...base, ready: { kind: "log", pattern: "up", regex: false } }), false);
  equal(
    sameSpec({ ...running, ready: { kind: "log", pattern: "up", regex: false } }, {
      ...base,
      ready: { kind: "log", pattern: "listening", regex: false },
    }),
    false,
  );
  // Key order does not matter.
  equal(
    sameSpec({ ...running, userEnv: { B: "2", A: "1" } }, { ...base, userEnv: { A: "1", B: "2" } }),
    true,
  );
});
