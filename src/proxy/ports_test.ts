/** Tests of port probing and allocation against real listening sockets. */

import assert from "node:assert/strict";
import { allocatePort, explicitPortError, isPortFree } from "./ports.ts";

function listenAny(hostname: string): Deno.TcpListener | null {
  try {
    return Deno.listen({ hostname, port: 0 });
  } catch {
    return null; // e.g. no IPv6 on this machine
  }
}

/** Two adjacent ports nothing listens on, found at run time. */
async function freePair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const p = l.addr.port;
    l.close();
    if (p < 65535 && await isPortFree(p) && await isPortFree(p + 1)) return p;
  }
  throw new Error("no two adjacent free ports found");
}

Deno.test("isPortFree sees listeners on 127.0.0.1, 0.0.0.0 and ::1", async () => {
  let probed = 0;
  for (const host of ["127.0.0.1", "0.0.0.0", "::1", "::"]) {
    const l = listenAny(host);
    if (l === null) continue;
    probed++;
    const port = l.addr.port;
    assert.equal(await isPortFree(port), false, `listener on ${host}:${port}`);
    l.close();
    assert.equal(await isPortFree(port), true, `after closing ${host}:${port}`);
  }
  assert.ok(probed >= 2, "the IPv4 listeners were probed");
});

Deno.test("isPortFree refuses out-of-range ports", async () => {
  assert.equal(await isPortFree(0), false);
  assert.equal(await isPortFree(70000), false);
});

Deno.test("allocatePort skips a port something listens on", async () => {
  const lo = await freePair();
  const l = Deno.listen({ hostname: "127.0.0.1", port: lo });
  try {
    assert.equal(await allocatePort(lo, lo + 1, new Set(), lo), lo + 1);
    assert.equal(await allocatePort(lo, lo + 1, new Set(), lo + 1), lo + 1);
    assert.equal(await allocatePort(lo, lo, new Set()), null);
  } finally {
    l.close();
  }
});

Deno.test("allocatePort skips ports held by the session and wraps around", async () => {
  const lo = await freePair();
  assert.equal(await allocatePort(lo, lo + 1, new Set([lo]), lo), lo + 1);
  assert.equal(await allocatePort(lo, lo + 1, new Set([lo + 1]), lo + 1), lo);
  assert.equal(await allocatePort(lo, lo + 1, new Set([lo, lo + 1])), null);
  const p = await allocatePort(lo, lo + 1, new Set());
  assert.ok(p === lo || p === lo + 1);
});

Deno.test("explicitPortError names a port in use by another program", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  try {
    assert.match(await explicitPortError(port) ?? "", new RegExp(`port ${port} is already in use`));
  } finally {
    l.close();
  }
  assert.equal(await explicitPortError(port), null);
  assert.match(await explicitPortError(0) ?? "", /invalid port 0/);
});
