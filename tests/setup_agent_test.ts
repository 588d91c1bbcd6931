/**
 * End-to-end: `setup-agent` on a project with an existing `.mcp.json`
 * holding another server keeps that server (and the file's comment) and
 * adds ours; installs the skill built into the program; refreshes a marked
 * section in AGENTS.md; a second run changes no byte; `--dry-run` writes
 * nothing; a project with no client is a clear error.
 */

import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { type TestEnv, withEnv } from "./helpers/harness.ts";

const MCP_JSON = `{
  // shared with the team
  "mcpServers": {
    "db-tools": { "command": "db-mcp", "args": ["--readonly"], "env": { "DB": "dev" } }
  }
}
`;

/** Every file under `dir` (relative path -> text and mtime), to compare runs byte for byte. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else {
        const st = await Deno.stat(p);
        out.set(p.slice(dir.length + 1), `${await Deno.readTextFile(p)}@${st.mtime?.getTime()}`);
      }
    }
  };
  await walk(dir);
  return out;
}

async function project(env: TestEnv, files: Record<string, string>): Promise<string> {
  const dir = `${env.home}/proj`;
  for (const [f, text] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${f}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${f}`, text);
  }
  return dir;
}

Deno.test("setup-agent keeps another server, installs the skill; a second run changes no byte", async () => {
  await withEnv("setup", async (env) => {
    const dir = await project(env, {
      ".mcp.json": MCP_JSON,
      "AGENTS.md": "# Rules\n\nBe nice.\n",
      ".codex/config.toml": '# my codex\nmodel = "o3"\n',
    });
    const before = await snapshot(dir);
    const dry = await env.cli(["setup-agent", "--dry-run"], { cwd: dir });
    equal(dry.code, 0, dry.stderr);
    deepStrictEqual(await snapshot(dir), before, "--dry-run writes nothing");
    match(dry.stdout, /^clients: claude, codex\nwould update \.mcp\.json /);

    const r = await env.cli(["setup-agent"], { cwd: dir });
    equal(r.code, 0, r.stderr);
    equal(
      r.stdout,
      [
        "clients: claude, codex",
        "updated .mcp.json (MCP server for Claude Code)",
        "created .claude/skills/agent-procs/SKILL.md (skill)",
        "updated .codex/config.toml (MCP server for Codex)",
        "updated AGENTS.md (instructions section)",
        "",
      ].join("\n"),
    );
    const mcp = await Deno.readTextFile(`${dir}/.mcp.json`);
    ok(mcp.startsWith(MCP_JSON.slice(0, MCP_JSON.indexOf("\n  }\n}"))), mcp);
    const { parse } = await import("jsonc-parser");
    deepStrictEqual(parse(mcp), {
      mcpServers: {
        "db-tools": { command: "db-mcp", args: ["--readonly"], env: { DB: "dev" } },
        "agent-procs": { command: "agent-procs", args: ["mcp"] },
      },
    });
    equal(
      await Deno.readTextFile(`${dir}/.claude/skills/agent-procs/SKILL.md`),
      await Deno.readTextFile(`${env.root}/skill/SKILL.md`),
    );
    const agents = await Deno.readTextFile(`${dir}/AGENTS.md`);
    ok(agents.startsWith("# Rules\n\nBe nice.\n\n<!-- agent-procs:begin"), agents);
    match(
      await Deno.readTextFile(`${dir}/.codex/config.toml`),
      /^# my codex\nmodel = "o3"\n\n\[mcp_servers\.agent-procs\]\n/,
    );

    const after = await snapshot(dir);
    const again = await env.cli(["setup-agent"], { cwd: dir });
    equal(again.code, 0, again.stderr);
    deepStrictEqual(
      await snapshot(dir),
      after,
      "a second run changes no byte (and rewrites no file)",
    );
    ok(again.stdout.split("\n").slice(1).filter(Boolean).every((l) => l.startsWith("unchanged ")));
  });
});

Deno.test("setup-agent refreshes its AGENTS.md section in place", async () => {
  await withEnv("setup-md", async (env) => {
    const stale =
      "# Rules\n<!-- agent-procs:begin -->\nold advice\n<!-- agent-procs:end -->\nmore\n";
    const dir = await project(env, { "AGENTS.md": stale, ".cursor/rules.md": "x\n" });
    await env.ok(["setup-agent"], { cwd: dir });
    const md = await Deno.readTextFile(`${dir}/AGENTS.md`);
    ok(!md.includes("old advice") && md.startsWith("# Rules\n") && md.endsWith("\nmore\n"), md);
    equal(md.split("agent-procs:begin").length, 2, "one section");
    ok(await Deno.stat(`${dir}/.cursor/mcp.json`).then(() => true));
  });
});

Deno.test("setup-agent without a detected client is a clear error; --client picks one", async () => {
  await withEnv("setup-none", async (env) => {
    const dir = await project(env, { "README.md": "hi\n" });
    const r = await env.cli(["setup-agent"], { cwd: dir });
    equal(r.code, 1);
    match(r.stderr, /^error: no agent client detected in .*\nhint: .*--client/);
    await env.ok(["setup-agent", "--client", "vscode"], { cwd: dir });
    const { parse } = await import("jsonc-parser");
    deepStrictEqual(parse(await Deno.readTextFile(`${dir}/.vscode/mcp.json`)), {
      servers: { "agent-procs": { type: "stdio", command: "agent-procs", args: ["mcp"] } },
    });
  });
});
