/** `findExecutable` against real files: the first executable on the PATH wins. */

import { equal } from "node:assert/strict";
import { findExecutable } from "./executables.ts";

Deno.test("findExecutable: the first PATH directory holding an executable file wins", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-exe-" });
  try {
    await Deno.mkdir(`${dir}/a`);
    await Deno.mkdir(`${dir}/b`);
    await Deno.writeTextFile(`${dir}/a/tool`, "not executable", { mode: 0o644 });
    await Deno.writeTextFile(`${dir}/b/tool`, "#!/bin/sh\n", { mode: 0o755 });
    equal(findExecutable("tool", `${dir}/a::${dir}/b`), `${dir}/b/tool`);
    equal(findExecutable("tool", `${dir}/a`), null);
    equal(findExecutable("tool", undefined), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
