/** Tests of the port-holder lookup: parsers, and a real listener found by its port. */

import { deepEqual, equal, ok } from "node:assert/strict";
import { parseLsof, parseProcNetTcp, portHolder } from "./holder.ts";

Deno.test("parseProcNetTcp: listening sockets with their port and inode", () => {
  const text = [
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    "   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0",
    "   1: 0100007F:0BB9 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0",
  ].join("\n");
  deepEqual(parseProcNetTcp(text), [{ port: 3000, inode: 4242 }]);
  deepEqual(parseProcNetTcp(""), []);
});

Deno.test("parseLsof: the first process of lsof's field output", () => {
  deepEqual(parseLsof("p123\ncnode\nf22\n"), { pid: 123, command: "node" });
  equal(parseLsof(""), null);
});

Deno.test("portHolder: finds the process that really listens on a port", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "const l = Deno.listen({hostname: '127.0.0.1', port: 0}); console.log(l.addr.port); for await (const c of l) c.close();",
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    let text = "";
    while (!text.includes("\n")) {
      const r = await reader.read();
      if (r.done) break;
      text += new TextDecoder().decode(r.value);
    }
    reader.releaseLock();
    const port = Number(text.trim());
    ok(port > 0, text);
    const h = await portHolder(port);
    equal(h?.pid, child.pid);
    ok(h?.command.includes("eval"), h?.command);
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel().catch(() => {});
  }
});
