/** Unit tests of ListenOwners: which groups get scanned, and when again. */

import { deepStrictEqual as deepEqual, equal } from "node:assert/strict";
import { ListenOwners } from "./listen_owners.ts";

function rig(holds: Map<number, number>) {
  let table = new Map<number, number>();
  const scans: number[][] = [];
  const owners = new ListenOwners(() => table, (pgids) => {
    scans.push([...pgids].sort((a, b) => a - b));
    const out = new Map<number, number>();
    for (const [inode, g] of holds) if (pgids.has(g)) out.set(inode, g);
    return out;
  }, -1); // the table is read on every call here
  return { owners, scans, setTable: (t: [number, number][]) => (table = new Map(t)) };
}

Deno.test("ListenOwners: one scan explains the table; later calls scan nothing", () => {
  const r = rig(new Map([[100, 1], [101, 2]]));
  r.setTable([[100, 3000], [101, 4000], [999, 22]]); // 999: another program's
  deepEqual(r.owners.ports(new Set([1, 2, 3])), new Map([[1, [3000]], [2, [4000]], [3, []]]));
  deepEqual(r.scans, [[1, 2, 3]]);
  deepEqual(r.owners.ports(new Set([1, 2, 3])), new Map([[1, [3000]], [2, [4000]], [3, []]]));
  equal(r.scans.length, 1);
});

Deno.test("ListenOwners: a new group or a new socket scans only the groups not checked", () => {
  const holds = new Map([[100, 1]]);
  const r = rig(holds);
  r.setTable([[100, 3000], [999, 22]]);
  r.owners.ports(new Set([1]));
  // Group 2 starts: the foreign socket is unexplained for it.
  deepEqual(r.owners.ports(new Set([1, 2])), new Map([[1, [3000]], [2, []]]));
  deepEqual(r.scans, [[1], [2]]);
  // Group 2 starts listening: a new inode, unexplained for both groups.
  holds.set(200, 2);
  r.setTable([[100, 3000], [999, 22], [200, 5000]]);
  deepEqual(r.owners.ports(new Set([1, 2])), new Map([[1, [3000]], [2, [5000]]]));
  deepEqual(r.scans.at(-1), [1, 2]);
  // A socket that closes leaves its group's ports.
  r.setTable([[999, 22], [200, 5000]]);
  deepEqual(r.owners.ports(new Set([1, 2])), new Map([[1, []], [2, [5000]]]));
  equal(r.scans.length, 3);
});

Deno.test("ListenOwners: a readiness check on one group does not hide another group's socket", () => {
  const r = rig(new Map([[100, 1], [101, 2]]));
  r.setTable([[100, 3000], [101, 4000]]);
  deepEqual(r.owners.ports(new Set([1])), new Map([[1, [3000]]]));
  deepEqual(r.owners.ports(new Set([1, 2])), new Map([[1, [3000]], [2, [4000]]]));
});

Deno.test("ListenOwners: the table is read again after maxAgeMs, or at once when fresh", () => {
  let reads = 0;
  let t = 0;
  let table = new Map([[100, 3000]]);
  const owners = new ListenOwners(
    () => {
      reads++;
      return table;
    },
    (pgids) => new Map([...pgids].map((g) => [100 + g - 1, g])),
    1000,
    () => t,
  );
  deepEqual(owners.ports(new Set([1])), new Map([[1, [3000]]]));
  table = new Map([[100, 3000], [101, 4000]]);
  t = 500;
  deepEqual(owners.ports(new Set([1, 2])), new Map([[1, [3000]], [2, []]]));
  equal(reads, 1);
  deepEqual(owners.ports(new Set([1, 2]), undefined, true), new Map([[1, [3000]], [2, [4000]]]));
  equal(reads, 2);
  table = new Map([[101, 4000]]);
  t = 1600;
  deepEqual(owners.ports(new Set([1, 2])), new Map([[1, []], [2, [4000]]]));
  equal(reads, 3);
});
