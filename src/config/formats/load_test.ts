/**
 * Unit tests of loading an imported config: the generated text goes through
 * the same validator as agent-procs.yaml, its errors point into the source
 * file, warnings carry the source's lines.
 */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { loadAnyConfig } from "./load.ts";

async function inTemp<T>(files: Record<string, string>, f: (dir: string) => Promise<T>) {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "ap-formats-" }));
  try {
    for (const [k, v] of Object.entries(files)) await Deno.writeTextFile(`${dir}/${k}`, v);
    return await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("load: a Procfile becomes specs with PORT, and a .env beside it", async () => {
  await inTemp({ Procfile: "web: serve\nworker: work\n", ".env": "A=1\n" }, async (dir) => {
    const r = await loadAnyConfig(`${dir}/Procfile`, { PATH: "/bin" });
    if (!r.ok) throw new Error(r.error.message);
    assertEquals(r.format, "procfile");
    assertEquals(r.config.processes.map((p) => [p.name, p.cmd, p.env.PORT, p.env.A, p.cwd]), [
      ["web", "serve", "5000", "1", dir],
      ["worker", "work", "5100", "1", dir],
    ]);
  });
});

Deno.test("load: a validation error points at the source file's line", async () => {
  const pc = "processes:\n  a:\n    command: x\n    depends_on:\n      nope:\n" +
    "        condition: process_started\n";
  await inTemp({ "process-compose.yaml": pc }, async (dir) => {
    const r = await loadAnyConfig(`${dir}/process-compose.yaml`, {});
    assertEquals(r.ok ? null : [r.error.file, r.error.line, r.error.message], [
      `${dir}/process-compose.yaml`,
      5,
      'processes.a.depends_on: unknown process "nope"',
    ]);
  });
});

Deno.test("load: package.json with a lock file of a manager that is not installed", async () => {
  const files = { "package.json": '{"scripts":{"dev":"vite"}}', "pnpm-lock.yaml": "" };
  await inTemp(files, async (dir) => {
    const r = await loadAnyConfig(`${dir}/package.json`, { PATH: "/nonexistent" });
    const msg = r.ok ? "" : r.error.message;
    assertEquals(msg.startsWith("pnpm-lock.yaml says this project uses pnpm"), true, msg);
  });
});
