/**
 * `setup-agent [--client claude|cursor|vscode|codex|all] [--dry-run]`:
 * register `agent-procs mcp` with the agent clients a project uses (found by
 * their files: `.mcp.json`, `.claude/`, `CLAUDE.md`, `.cursor/`, `.vscode/`,
 * `.codex/`), install the skill built into the program, and add or refresh
 * a marked section in `AGENTS.md` / `CLAUDE.md` when they exist. Every edit
 * keeps what was there (`agent_files.ts`); a second run changes no byte;
 * `--dry-run` computes the same changes and writes nothing. Nothing is
 * written when any file cannot be read as its format.
 */

import { CliError } from "../errors.ts";
import type { OpContext } from "./context.ts";
import type { OptionValues } from "./convert.ts";
import type { SETUP_AGENT_OPTIONS } from "./options.ts";
import { resolvePath } from "./run.ts";

/** Input of `setup-agent`. */
export type SetupAgentInput = OptionValues<typeof SETUP_AGENT_OPTIONS>;

/** A client `setup-agent` can configure. */
export type AgentClient = "claude" | "cursor" | "vscode" | "codex";

/** Every client, in the order they are reported. */
export const CLIENTS: readonly AgentClient[] = ["claude", "cursor", "vscode", "codex"];

/** Files and directories that show a project uses a client. */
export const CLIENT_MARKS: Readonly<Record<AgentClient, readonly string[]>> = {
  claude: [".mcp.json", ".claude", "CLAUDE.md"],
  cursor: [".cursor"],
  vscode: [".vscode"],
  codex: [".codex"],
};

/** One file `setup-agent` looked at. */
export interface FileChange {
  /** Path relative to the project directory. */
  path: string;
  action: "create" | "update" | "unchanged";
  /** What the change is about, e.g. `MCP server for claude`. */
  what: string;
  /** The file's new text. */
  text: string;
}

/** Result of `setup-agent`. */
export interface SetupAgentResult {
  dir: string;
  detected: AgentClient[];
  clients: AgentClient[];
  changes: FileChange[];
  dryRun: boolean;
}

async function read(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** The clients a project in `dir` shows signs of. */
export async function detectClients(dir: string): Promise<AgentClient[]> {
  const out: AgentClient[] = [];
  for (const c of CLIENTS) {
    for (const m of CLIENT_MARKS[c]) {
      if (await exists(`${dir}/${m}`)) {
        out.push(c);
        break;
      }
    }
  }
  return out;
}

/** Computes (and unless `dryRun`, writes) the changes in `ctx.cwd`. */
export async function setupAgent(
  input: SetupAgentInput,
  ctx: OpContext,
): Promise<SetupAgentResult> {
  const dir = resolvePath(ctx.cwd, ".");
  const detected = await detectClients(dir);
  const clients = input.client === "all" ? [...CLIENTS] : input.client ? [input.client] : detected;
  if (clients.length === 0) {
    throw new CliError(`no agent client detected in ${dir}`, {
      hint: `none of ${Object.values(CLIENT_MARKS).flat().join(", ")} is here; ` +
        "pass --client claude|cursor|vscode|codex|all",
    });
  }
  const jsonc = await import("jsonc-parser");
  const f = await import("./agent_files.ts");
  const { SKILL_MD } = await import("./skill_text.ts");
  const planned: { path: string; what: string; next: (old: string | null) => string }[] = [];
  const json = (path: string, key: string, entry: Record<string, unknown>, who: string) =>
    planned.push({
      path,
      what: `MCP server for ${who}`,
      next: (old) => {
        const r = f.mergeJsonServer(jsonc, old, key, entry);
        if (!r.ok) throw new CliError(`${path}: ${r.message}`);
        return r.text;
      },
    });
  const entry = { ...f.SERVER_ENTRY, args: [...f.SERVER_ENTRY.args] };
  for (const c of clients) {
    if (c === "claude") {
      json(".mcp.json", "mcpServers", entry, "Claude Code");
      planned.push({
        path: ".claude/skills/agent-procs/SKILL.md",
        what: "skill",
        next: () => SKILL_MD,
      });
    } else if (c === "cursor") json(".cursor/mcp.json", "mcpServers", entry, "Cursor");
    else if (c === "vscode") {
      json(".vscode/mcp.json", "servers", { type: "stdio", ...entry }, "VS Code");
    } else {
      planned.push({
        path: ".codex/config.toml",
        what: "MCP server for Codex",
        next: (old) => {
          const r = f.mergeCodexToml(old);
          if (!r.ok) throw new CliError(`.codex/config.toml: ${r.message}`);
          return r.text;
        },
      });
    }
  }
  for (const md of ["AGENTS.md", "CLAUDE.md"]) {
    if (await exists(`${dir}/${md}`)) {
      planned.push({
        path: md,
        what: "instructions section",
        next: (old) => f.upsertSection(old ?? ""),
      });
    }
  }
  const changes: FileChange[] = [];
  for (const p of planned) {
    const old = await read(`${dir}/${p.path}`);
    const text = p.next(old);
    const action = old === null ? "create" : old === text ? "unchanged" : "update";
    changes.push({ path: p.path, action, what: p.what, text });
  }
  if (!input.dryRun) {
    for (const c of changes) {
      if (c.action === "unchanged") continue;
      const path = `${dir}/${c.path}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(path, c.text);
    }
  }
  return { dir, detected, clients, changes, dryRun: input.dryRun === true };
}
