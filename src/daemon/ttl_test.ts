/** Tests of the TTL's text and of reading it from a flag or the environment. */

import { equal, throws } from "node:assert/strict";
import { formatTtl } from "./ttl.ts";
import { resolveTtl } from "../ops/ttl.ts";

Deno.test("formatTtl picks the largest whole unit", () => {
  equal(formatTtl(3000), "3s");
  equal(formatTtl(600_000), "10m");
  equal(formatTtl(7_200_000), "2h");
  equal(formatTtl(1500), "1500ms");
});

Deno.test("resolveTtl: the flag wins over AGENT_PROCS_TTL; bare numbers are seconds; 0 clears", () => {
  equal(resolveTtl("3s", { AGENT_PROCS_TTL: "1m" }), 3000);
  equal(resolveTtl(undefined, { AGENT_PROCS_TTL: "1m" }), 60_000);
  equal(resolveTtl("2.5", {}), 2500);
  equal(resolveTtl("0", {}), 0);
  equal(resolveTtl(undefined, {}), undefined);
  throws(() => resolveTtl(undefined, { AGENT_PROCS_TTL: "soon" }), /AGENT_PROCS_TTL: expected/);
});
