/** Tests of the listening-table reader and its cache. */

import { deepEqual, equal } from "node:assert/strict";
import { ListenCache, readListenFile } from "./listen_table.ts";

const HEADER =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
const line = (port: number, st: string, inode: number) =>
  `   0: 0100007F:${
    port.toString(16).toUpperCase()
  } 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;

Deno.test("readListenFile: the LISTEN lines before the first other state", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const f = `${dir}/tcp`;
    Deno.writeTextFileSync(
      f,
      HEADER + line(5174, "0A", 11) + line(80, "0A", 12) + line(4000, "06", 13),
    );
    deepEqual(readListenFile(f), [{ port: 5174, inode: 11 }, { port: 80, inode: 12 }]);
    deepEqual(readListenFile(`${dir}/missing`), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("ListenCache reads the table only for new sockets, and trusts 'not listening' for 1 s", () => {
  let reads = 0;
  let table = new Map([[11, 5174]]);
  let t = 0;
  const cache = new ListenCache(() => {
    reads++;
    return table;
  }, () => t);
  deepEqual([...cache.ports([11, 12])], [5174]);
  equal(reads, 1);
  deepEqual([...cache.ports([11, 12])], [5174]);
  equal(reads, 1, "nothing new: no read");
  table = new Map([[11, 5174], [12, 9000]]);
  t = 500;
  deepEqual([...cache.ports([11, 12])], [5174], "12 is trusted not to listen for a second");
  t = 1600;
  deepEqual([...cache.ports([11, 12])].sort(), [5174, 9000]);
  equal(reads, 2);
  deepEqual([...cache.ports([11], true)], [5174]);
  equal(reads, 3, "fresh always reads");
});
