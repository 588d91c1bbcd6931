/** The VERSION constant (compiled into the binary) must equal deno.json's version. */

import { equal, match } from "node:assert/strict";
import { VERSION } from "./version.ts";

Deno.test("VERSION equals deno.json's version", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
  ) as { version?: unknown };
  equal(config.version, VERSION);
  match(VERSION, /^\d+\.\d+\.\d+(-[\w.]+)?$/);
});
