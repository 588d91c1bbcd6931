/** Tests of the `--ensure` spec comparison. */

import { equal } from "node:assert/strict";
import { defaultSpec } from "../model.ts";
import { sameRunSpec } from "./ensure.ts";

const base = defaultSpec({ name: "w", cmd: "npm run dev", cwd: "/app" }, {
  userEnv: { A: "1" },
  env: { A: "1", PATH: "/bin" },
  port: 4100,
});

Deno.test("sameRunSpec: command, cwd, explicit env, proxy, browser_logs and a stated port count", () => {
  equal(sameRunSpec(base, { ...base, env: { A: "1", PATH: "/usr/bin" } }), true);
  equal(sameRunSpec(base, { ...base, port: null }), true);
  equal(sameRunSpec(base, { ...base, port: 4200 }), false);
  equal(sameRunSpec(base, { ...base, cmd: "npm start" }), false);
  equal(sameRunSpec(base, { ...base, cwd: "/other" }), false);
  equal(sameRunSpec(base, { ...base, userEnv: { A: "2" } }), false);
  equal(sameRunSpec(base, { ...base, userEnv: {} }), false);
  equal(sameRunSpec(base, { ...base, proxy: true }), false);
  equal(sameRunSpec(base, { ...base, browserLogs: true }), false);
});
