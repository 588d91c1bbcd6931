/** Tests of reading the agent-procs marker from an environment block. */

import { deepEqual } from "node:assert/strict";
import { parseMarker } from "./marker.ts";

Deno.test("parseMarker finds session and name, and needs both", () => {
  deepEqual(
    parseMarker("PATH=/bin\0AGENT_PROCS_SESSION=feat-x\0AGENT_PROCS_NAME=web\0"),
    { session: "feat-x", name: "web" },
  );
  deepEqual(parseMarker("AGENT_PROCS_SESSION=feat-x\0"), null);
  deepEqual(parseMarker(""), null);
});
