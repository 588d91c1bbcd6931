/** Tests of the port lease registry: the pure rules and the locked file. */

import { deepEqual as assertEquals, match as assertMatch } from "node:assert/strict";
import {
  conflictOf,
  decodeLeases,
  type Lease,
  leaseMessage,
  liveLeases,
  pidAlive,
  PortLeases,
  readLeases,
} from "./leases.ts";

const lease = (over: Partial<Lease>): Lease => ({
  port: 4000,
  session: "s",
  name: "web",
  daemonPid: 1,
  pid: null,
  at: "2026-01-01T00:00:00.000Z",
  ...over,
});

Deno.test("decodeLeases keeps well-formed leases and skips the rest", () => {
  const good = lease({ pid: 7 });
  const text = JSON.stringify({ version: 1, leases: [good, { port: "x" }, null] });
  assertEquals(decodeLeases(text), [good]);
  assertEquals(decodeLeases("not json"), []);
  assertEquals(decodeLeases("{}"), []);
});

Deno.test("a lease lives while its daemon or its process lives", () => {
  const alive = (pid: number) => pid === 10 || pid === 20;
  const leases = [
    lease({ port: 1, daemonPid: 10 }),
    lease({ port: 2, daemonPid: 11, pid: 20 }),
    lease({ port: 3, daemonPid: 11, pid: 21 }),
    lease({ port: 4, daemonPid: 11 }),
  ];
  assertEquals(liveLeases(leases, alive).map((l) => l.port), [1, 2]);
});

Deno.test("conflictOf ignores the name's own lease and names another's", () => {
  const leases = [lease({ port: 3000, session: "feat-x", name: "web", pid: 4242 })];
  assertEquals(conflictOf(leases, 3000, "feat-x", "web"), null);
  assertEquals(conflictOf(leases, 3001, "main", "api"), null);
  const c = conflictOf(leases, 3000, "main", "web");
  assertEquals(c?.session, "feat-x");
  assertEquals(
    leaseMessage(c!),
    "port 3000 is leased by process web of session feat-x (pid 4242)",
  );
});

Deno.test("pidAlive: this process lives, a bogus pid does not", () => {
  assertEquals(pidAlive(Deno.pid), true);
  assertEquals(pidAlive(0), false);
  assertEquals(pidAlive(2 ** 22 + 12345), false);
});

Deno.test("PortLeases: assigned ports differ across sessions, explicit ones conflict, stale ones go", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-leases-" });
  try {
    const a = new PortLeases(dir, "a");
    const b = new PortLeases(dir, "b");
    const range = { lo: 4000, hi: 4999 };
    const base = { heldByUs: false, prefer: null, taken: new Set<number>(), range };
    const claims = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => a.claim({ ...base, name: `p${i}`, port: null })),
      ...Array.from({ length: 5 }, (_, i) => b.claim({ ...base, name: `p${i}`, port: null })),
    ]);
    const ports = claims.map((c) => c.ok ? c.port : -1);
    assertEquals(new Set(ports).size, 10, `ports: ${ports}`);
    // The same name keeps its port when it asks again with it preferred.
    const again = await a.claim({ ...base, name: "p0", port: null, prefer: ports[0] });
    assertEquals(again, { ok: true, port: ports[0] });
    // b may not take a's port explicitly.
    const refused = await b.claim({ ...base, name: "x", port: ports[0] });
    assertEquals(refused.ok, false);
    if (!refused.ok) assertMatch(refused.message, /leased by process p0 of session a/);
    // A lease whose daemon and process are dead is dropped.
    const dead = new PortLeases(dir, "dead", 2 ** 22 + 12345);
    await dead.spawned("w", 4999, 2 ** 22 + 12346);
    assertEquals((await readLeases(dir)).some((l) => l.session === "dead"), false);
    // a's exit releases its leases; b's stay.
    a.releaseAllSync();
    const left = await readLeases(dir);
    assertEquals(left.filter((l) => l.session === "a").length, 0);
    assertEquals(left.filter((l) => l.session === "b").length, 5);
    assertEquals(await b.portOf("p1"), ports[6]);
    await b.release("p1");
    assertEquals(await b.portOf("p1"), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("PortLeases: a stopped process's lease yields to an explicit port, not to assignment", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-leases-" });
  try {
    const a = new PortLeases(dir, "a");
    const b = new PortLeases(dir, "b");
    const range = { lo: 4500, hi: 4501 };
    const base = { heldByUs: false, prefer: null, taken: new Set<number>(), range };
    const first = await a.claim({ ...base, name: "web", port: null });
    if (!first.ok) throw new Error(first.message);
    // Its process ran and stopped (a dead pid); its daemon (this test) lives on.
    await a.spawned("web", first.port, 2 ** 22 + 999);
    const assigned = await b.claim({ ...base, name: "api", port: null });
    assertEquals(assigned.ok && assigned.port !== first.port, true, JSON.stringify(assigned));
    const explicit = await b.claim({ ...base, name: "x", port: first.port });
    assertEquals(explicit, { ok: true, port: first.port });
    const left = (await readLeases(dir)).filter((l) => l.port === first.port);
    assertEquals(left.map((l) => `${l.session}/${l.name}`), ["b/x"]);
    const back = await a.claim({ ...base, name: "web", port: first.port });
    assertEquals(back.ok, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("PortLeases: releasing a name that never had a lease leaves the registry untouched", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-leases-" });
  try {
    const a = new PortLeases(dir, "a");
    const range = { lo: 4000, hi: 4999 };
    const claim = await a.claim({
      heldByUs: false,
      prefer: null,
      taken: new Set<number>(),
      range,
      name: "web",
      port: null,
    });
    assertEquals(claim.ok, true);
    const file = `${dir}/ports/leases.json`;
    const before = Deno.statSync(file);
    await a.release("no-port-here");
    const after = Deno.statSync(file);
    assertEquals([after.ino, after.mtime?.getTime()], [before.ino, before.mtime?.getTime()]);
    await a.release("web");
    assertEquals(await a.portOf("web"), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
