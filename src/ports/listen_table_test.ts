/** Tests of the listening-table reader and its cache. */

import { deepEqual } from "node:assert/strict";
import { readListenFile } from "./listen_table.ts";

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
