/** Unit tests of setup-agent's edits: JSONC merge, Codex TOML, the marked Markdown section. */

import { deepStrictEqual as assertEquals, equal, ok } from "node:assert/strict";
import * as jsonc from "jsonc-parser";
import {
  BEGIN,
  END,
  mergeCodexToml,
  mergeJsonServer,
  SECTION,
  upsertSection,
} from "./agent_files.ts";

const entry = { command: "agent-procs", args: ["mcp"] };

function merged(text: string | null, key = "mcpServers"): string {
  const r = mergeJsonServer(jsonc, text, key, entry);
  if (!r.ok) throw new Error(r.message);
  return r.text;
}

Deno.test("json: a new file, an empty object, a missing key", () => {
  const fresh = merged(null);
  assertEquals(JSON.parse(fresh), { mcpServers: { "agent-procs": entry } });
  assertEquals(JSON.parse(merged("{}")), { mcpServers: { "agent-procs": entry } });
  assertEquals(JSON.parse(merged('{\n  "a": 1\n}\n')), {
    a: 1,
    mcpServers: { "agent-procs": entry },
  });
});

Deno.test("json: other servers, comments and formatting stay byte for byte", () => {
  const src =
    '{\n  // keep me\n  "mcpServers": {\n    "x": { "command": "x", "args": ["--y"] } /* and me */\n  },\n}\n';
  const out = merged(src);
  ok(
    out.startsWith(
      '{\n  // keep me\n  "mcpServers": {\n    "x": { "command": "x", "args": ["--y"] }',
    ),
  );
  ok(out.includes("/* and me */"));
  assertEquals(jsonc.parse(out).mcpServers, {
    x: { command: "x", args: ["--y"] },
    "agent-procs": entry,
  });
  equal(merged(out), out, "idempotent");
});

Deno.test("json: an existing entry keeps its values and gains only missing keys", () => {
  const src = '{"servers": {"agent-procs": {"command": "/opt/ap", "env": {"A": "1"}}}}';
  const out = mergeJsonServer(jsonc, src, "servers", { type: "stdio", ...entry });
  if (!out.ok) throw new Error(out.message);
  assertEquals(jsonc.parse(out.text).servers["agent-procs"], {
    command: "/opt/ap",
    env: { A: "1" },
    type: "stdio",
    args: ["mcp"],
  });
});

Deno.test("json: a file that is not a JSON object is an error", () => {
  equal(mergeJsonServer(jsonc, "[1]", "mcpServers", entry).ok, false);
  equal(mergeJsonServer(jsonc, "{", "mcpServers", entry).ok, false);
  equal(mergeJsonServer(jsonc, '{"mcpServers": 3}', "mcpServers", entry).ok, false);
});

Deno.test("toml: appends the table once, keeps the rest, fills missing keys", () => {
  const src = '# mine\nmodel = "o3"\n\n[mcp_servers.other]\ncommand = "x"\n';
  const r = mergeCodexToml(src);
  if (!r.ok) throw new Error();
  equal(r.text, src + '\n[mcp_servers.agent-procs]\ncommand = "agent-procs"\nargs = ["mcp"]\n');
  const again = mergeCodexToml(r.text);
  equal(again.ok && again.text, r.text);
  const partial = mergeCodexToml('[mcp_servers."agent-procs"]\ncommand = "/opt/ap"\n\n[x]\n');
  equal(
    partial.ok && partial.text,
    '[mcp_servers."agent-procs"]\nargs = ["mcp"]\ncommand = "/opt/ap"\n\n[x]\n',
  );
});

Deno.test("markdown: the marked section is added once and replaced in place", () => {
  const once = upsertSection("# Project\n");
  equal(once, `# Project\n\n${BEGIN}\n${SECTION}\n${END}\n`);
  equal(upsertSection(once), once);
  const stale = `a\n<!-- agent-procs:begin -->\nold text\n${END}\nb\n`;
  equal(upsertSection(stale), `a\n${BEGIN}\n${SECTION}\n${END}\nb\n`);
});
