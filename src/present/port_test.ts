/** Tests of the text of `port N`. */

import { deepEqual } from "node:assert/strict";
import { portText } from "./port.ts";

const listener = { pid: 4242, pgid: 4242, command: "node server.js" };
const owner = { session: "feat-x", name: "web", pid: 4242, via: "lease" as const };

Deno.test("portText: listener with owner, lease only, plain listener, free", () => {
  deepEqual(
    portText({ port: 3000, free: false, listener, owner }),
    "3000: pid 4242 (node server.js), process web of session feat-x",
  );
  deepEqual(
    portText({ port: 3000, free: false, listener: null, owner }),
    "3000: leased by process web of session feat-x (pid 4242), not listening",
  );
  deepEqual(
    portText({ port: 3000, free: false, listener, owner: null }),
    "3000: pid 4242 (node server.js)",
  );
  deepEqual(portText({ port: 3000, free: true, listener: null, owner: null }), "3000: free");
});
