/** Tests of the pure parts of finding orphan groups and of their text. */

import { deepEqual, equal } from "node:assert/strict";
import { envValue } from "./orphans.ts";
import { cleanText } from "../present/text.ts";

Deno.test("envValue reads one variable of an environment block", () => {
  equal(envValue("A=1\0AGENT_PROCS_HOME=/tmp/x\0", "AGENT_PROCS_HOME"), "/tmp/x");
  equal(envValue("A=1\0", "AGENT_PROCS_HOME"), undefined);
  equal(envValue("AGENT_PROCS_HOMEX=1\0", "AGENT_PROCS_HOME"), undefined);
});

Deno.test("cleanText: orphan groups first, then cleaned sessions", () => {
  deepEqual(
    cleanText({
      cleaned: ["s"],
      purged: false,
      orphans: [{ pgid: 42, session: "s", name: "web" }],
    }),
    ["stopped orphan group 42 (web of session s)", "cleaned s"],
  );
  deepEqual(cleanText({ cleaned: [], purged: false, orphans: [] }), ["nothing to clean"]);
});
