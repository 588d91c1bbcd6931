/**
 * package.json (and deno.json) importer (pure): the named scripts (default
 * `dev`) become processes run by the package manager the lock file names
 * (`npm run dev`, `pnpm run dev`, ...), or `deno task NAME` for deno.json
 * tasks. Which lock files exist and whether the manager is installed are
 * found by the caller (`load.ts`); this module only decides.
 */

import { type Draft, newDraft } from "./draft.ts";

/** A package manager that runs scripts. */
export type PackageManager = "npm" | "pnpm" | "yarn" | "bun" | "deno";

/** Lock files and the manager each one names, in the order they are looked for. */
export const LOCK_FILES: readonly (readonly [string, PackageManager])[] = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

/** The manager to use and why (for messages). */
export interface ManagerChoice {
  manager: PackageManager;
  /** e.g. `pnpm-lock.yaml`, `"packageManager": "yarn@4"`, or `no lock file`. */
  because: string;
}

/**
 * Picks the manager: the first lock file found (names as found beside the
 * package.json or in a parent), else the `packageManager` field, else npm.
 */
export function chooseManager(lockFiles: string[], packageManager: unknown): ManagerChoice {
  for (const [file, manager] of LOCK_FILES) {
    if (lockFiles.includes(file)) return { manager, because: file };
  }
  if (typeof packageManager === "string") {
    const name = packageManager.split("@")[0];
    const m = LOCK_FILES.find(([, x]) => x === name);
    if (m) return { manager: m[1], because: `"packageManager": "${packageManager}"` };
  }
  return { manager: "npm", because: "no lock file" };
}

/** Asks for every script (what `down` stops: whichever of them `up` started). */
export const ALL_SCRIPTS = "*";

/** A script name as a process name (characters other than A-Z a-z 0-9 . _ - become `-`). */
export function processName(script: string): string {
  return script.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[.-]+/, "") || "script";
}

/** The 1-based line where `needle` first occurs at or after `from` (1 when absent). */
function lineOf(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  return i < 0 ? 1 : text.slice(0, i).split("\n").length;
}

/** Result of reading a package.json or deno.json: a draft, or an error with its line. */
export type PackageImport =
  | { ok: true; draft: Draft; scripts: Record<string, string> }
  | { ok: false; line: number | null; message: string };

/** Reads the scripts (package.json) or tasks (deno.json) of a manifest. */
export function readScripts(
  text: string,
  deno: boolean,
): { ok: true; scripts: Record<string, string>; json: Record<string, unknown> } | {
  ok: false;
  line: number | null;
  message: string;
} {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, line: null, message: `invalid JSON: ${(e as Error).message}` };
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, line: 1, message: "expected a JSON object" };
  }
  const obj = json as Record<string, unknown>;
  const key = deno ? "tasks" : "scripts";
  const raw = obj[key] ?? {};
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, line: lineOf(text, `"${key}"`), message: `"${key}" is not an object` };
  }
  const scripts: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === "string") scripts[k] = v;
    else if (
      v && typeof v === "object" && typeof (v as { command?: unknown }).command === "string"
    ) {
      scripts[k] = (v as { command: string }).command; // deno.json task objects
    }
  }
  return { ok: true, scripts, json: obj };
}

/**
 * Imports the scripts `wanted` (default `dev`; `[ALL_SCRIPTS]` for all) of a
 * package.json, run with `choice.manager`; for a deno.json, its tasks with
 * `deno task`.
 */
export function importPackageJson(
  text: string,
  wanted: string[],
  choice: ManagerChoice,
): PackageImport {
  const deno = choice.manager === "deno";
  const r = readScripts(text, deno);
  if (!r.ok) return r;
  const names = wanted.length === 1 && wanted[0] === ALL_SCRIPTS
    ? Object.keys(r.scripts)
    : wanted.length
    ? wanted
    : ["dev"];
  const what = deno ? "task" : "script";
  const d = newDraft(deno ? "deno.json" : "package.json");
  const start = Math.max(0, text.indexOf(deno ? '"tasks"' : '"scripts"'));
  for (const s of names) {
    if (!(s in r.scripts)) {
      const known = Object.keys(r.scripts);
      return {
        ok: false,
        line: null,
        message: `no ${what} ${JSON.stringify(s)} (${what}s: ${known.join(", ") || "none"})`,
      };
    }
    const line = lineOf(text, JSON.stringify(s), start);
    const cmd = deno ? `deno task ${s}` : `${choice.manager} run ${s}`;
    const name = processName(s);
    const comments = [`${what} ${JSON.stringify(s)}: ${r.scripts[s]}`];
    if (!deno) comments.push(`run with ${choice.manager} (${choice.because})`);
    if (name !== s) comments.push(`named ${name}: a process name allows only A-Z a-z 0-9 . _ -`);
    d.processes.push({ name, line, comments, fields: [{ key: "cmd", value: cmd, line }] });
  }
  return { ok: true, draft: d, scripts: r.scripts };
}

/** The script `init` imports: `dev`, else `start`; null when there is neither. */
export function defaultScript(scripts: Record<string, string>): string | null {
  return "dev" in scripts ? "dev" : "start" in scripts ? "start" : null;
}
