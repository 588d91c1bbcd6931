/** Unit tests of the Procfile importer, over `fixtures/Procfile`. */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { importProcfile } from "./procfile.ts";
import { renderDraft } from "./draft.ts";

const fixture = Deno.readTextFileSync(new URL("./fixtures/Procfile", import.meta.url));

Deno.test("procfile: each name: command line is a process with foreman's PORT", () => {
  const d = importProcfile(fixture);
  assertEquals(d.processes.map((p) => [p.name, p.line, p.fields.map((f) => f.value)]), [
    ["web", 2, ["bundle exec rails server -p $PORT", 5000]],
    ["worker", 3, ["bundle exec sidekiq", 5100]],
    ["release", 5, ["./release.sh", 5200]],
  ]);
});

Deno.test("procfile: a line that is not name: command, and a repeated name, are warnings", () => {
  const d = importProcfile(fixture);
  assertEquals(d.warnings, [
    { line: 6, message: 'not a "name: command" line, skipped: "this is not a process line"' },
    { line: 7, message: "web: defined again, this line is skipped" },
  ]);
});

Deno.test("procfile: the base port and a .env beside it", () => {
  const d = importProcfile("a: x\nb: y\n", { basePort: 7000, hasDotenv: true });
  assertEquals(d.processes.map((p) => p.fields[1].value), [7000, 7100]);
  assertEquals(d.top, [{ key: "env_file", value: ".env", line: null }]);
});

Deno.test("procfile: the rendered config maps each line back to the Procfile", () => {
  const r = renderDraft(importProcfile("web: npm start\n"));
  assertEquals(r.text, 'processes:\n  web:\n    cmd: "npm start"\n    port: 5000\n');
  assertEquals(r.lines, [null, 1, 1, 1]);
});
