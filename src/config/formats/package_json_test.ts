/** Unit tests of the package.json / deno.json importer, over `fixtures/package.json`. */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { ALL_SCRIPTS, chooseManager, importPackageJson, processName } from "./package_json.ts";

const fixture = Deno.readTextFileSync(new URL("./fixtures/package.json", import.meta.url));

Deno.test("package.json: the lock file names the manager, then packageManager, then npm", () => {
  assertEquals(chooseManager(["package-lock.json"], undefined).manager, "npm");
  assertEquals(chooseManager(["pnpm-lock.yaml"], "yarn@4").manager, "pnpm");
  assertEquals(chooseManager(["bun.lockb"], undefined).manager, "bun");
  assertEquals(chooseManager([], "yarn@4.1.0"), {
    manager: "yarn",
    because: '"packageManager": "yarn@4.1.0"',
  });
  assertEquals(chooseManager([], undefined), { manager: "npm", because: "no lock file" });
});

Deno.test("package.json: dev by default, run with the chosen manager, with its line", () => {
  const r = importPackageJson(fixture, [], { manager: "pnpm", because: "pnpm-lock.yaml" });
  if (!r.ok) throw new Error(r.message);
  const [p] = r.draft.processes;
  assertEquals([p.name, p.line, p.fields], ["dev", 6, [
    { key: "cmd", value: "pnpm run dev", line: 6 },
  ]]);
});

Deno.test("package.json: named scripts; a name a process cannot have is adapted", () => {
  const r = importPackageJson(fixture, ["dev:api", "build"], { manager: "npm", because: "x" });
  if (!r.ok) throw new Error(r.message);
  assertEquals(r.draft.processes.map((p) => [p.name, p.fields[0].value]), [
    ["dev-api", "npm run dev:api"],
    ["build", "npm run build"],
  ]);
  assertEquals(processName(".x y"), "x-y");
});

Deno.test("package.json: an unknown script and bad JSON are errors", () => {
  const r = importPackageJson(fixture, ["start"], { manager: "npm", because: "x" });
  assertEquals(r.ok ? null : r.message, 'no script "start" (scripts: build, dev, dev:api)');
  const bad = importPackageJson("{", [], { manager: "npm", because: "x" });
  assertEquals(bad.ok, false);
});

Deno.test("deno.json: tasks run with deno task", () => {
  const r = importPackageJson('{"tasks": {"dev": {"command": "deno run -A main.ts"}}}', [], {
    manager: "deno",
    because: "deno.json",
  });
  if (!r.ok) throw new Error(r.message);
  assertEquals(r.draft.processes[0].fields[0].value, "deno task dev");
});

Deno.test("package.json: every script, for down", () => {
  const r = importPackageJson(fixture, [ALL_SCRIPTS], { manager: "npm", because: "x" });
  assertEquals(r.ok && r.draft.processes.map((p) => p.name), ["build", "dev", "dev-api"]);
});
