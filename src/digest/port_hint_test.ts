/** Unit tests of "address in use" recognition across the messages real servers print. */

import { deepEqual, equal } from "node:assert/strict";
import { portInUse } from "./port_hint.ts";

Deno.test("portInUse: the port from each runtime's message", () => {
  const cases: [string, number][] = [
    ["Error: listen EADDRINUSE: address already in use 127.0.0.1:58301", 58301],
    ["Error: listen EADDRINUSE: address already in use :::3000", 3000],
    ["listen tcp 127.0.0.1:8080: bind: address already in use", 8080],
    [
      "error: Uncaught (in promise) AddrInUse: Address already in use (os error 98) 0.0.0.0:8000",
      8000,
    ],
    ["Bind for 0.0.0.0:5432 failed: port is already allocated", 5432],
    ["Port 5173 is in use, trying another one...", 5173],
  ];
  for (const [line, port] of cases) deepEqual(portInUse(["x", line, "y"], null), { port }, line);
});

Deno.test("portInUse: a message naming no port falls back to the process's port", () => {
  deepEqual(portInUse(["OSError: [Errno 98] Address already in use"], 4001), { port: 4001 });
  deepEqual(portInUse(["OSError: [Errno 98] Address already in use"], null), { port: null });
  equal(portInUse(["all good", "listening on 3000"], 3000), null);
});
