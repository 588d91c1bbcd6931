/**
 * Loading a config in any supported format (the I/O edge of the importers):
 * read the file, detect its format, look around it for what an importer
 * needs (a `.env` beside a Procfile, lock files for a package.json, the
 * package manager on PATH), turn it into `agent-procs.yaml` text through the
 * one draft model, and validate that with the same loader as
 * `agent-procs.yaml` itself. Errors point into the original file (through the
 * render's line map); what did not map comes back as warnings.
 */

import type { ConfigError, StackConfig } from "../types.ts";
import { normalizePath } from "../find.ts";
import { findExecutable } from "../../executables.ts";
import type { ConfigWarning } from "./format_warning.ts";
import { type Draft, type FormatName, renderDraft, type Rendered } from "./draft.ts";
import { detectFormat } from "./detect.ts";
import { importProcfile } from "./procfile.ts";
import {
  chooseManager,
  importPackageJson,
  LOCK_FILES,
  type ManagerChoice,
} from "./package_json.ts";

export type { ConfigWarning } from "./format_warning.ts";
export { formatWarning } from "./format_warning.ts";

/** A file turned into a draft (null for an `agent-procs.yaml`, which needs no import). */
export type Imported =
  | { ok: true; file: string; format: FormatName; text: string; draft: Draft | null }
  | { ok: false; error: ConfigError };

/** The result of `loadAnyConfig`. */
export type AnyConfigResult =
  | { ok: true; config: StackConfig; format: FormatName; warnings: ConfigWarning[] }
  | { ok: false; error: ConfigError; errors: ConfigError[] };

function dirOf(file: string): string {
  return file.slice(0, file.lastIndexOf("/")) || "/";
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Lock files in `dir` or, when it has none, the nearest parent that has one. */
async function findLockFiles(dir: string): Promise<string[]> {
  for (let d = dir;; d = dirOf(d)) {
    const found: string[] = [];
    for (const [name] of LOCK_FILES) if (await exists(`${d}/${name}`)) found.push(name);
    if (found.length || d === "/") return found;
  }
}

/** True when `cmd` is an executable file in one of the PATH directories. */
export function onPath(cmd: string, path: string | undefined): boolean {
  return findExecutable(cmd, path) !== null;
}

/** The package manager a package.json runs with (lock files, then `packageManager`). */
export async function managerFor(file: string, text: string): Promise<ManagerChoice> {
  let field: unknown = undefined;
  try {
    field = (JSON.parse(text) as { packageManager?: unknown }).packageManager;
  } catch {
    field = undefined; // the importer reports invalid JSON
  }
  return chooseManager(await findLockFiles(dirOf(file)), field);
}

/**
 * Reads `path` and imports it into a draft (`scripts`: the package.json
 * scripts to run, default `dev`). `baseEnv` gives a Procfile its base port
 * (`PORT`, as foreman) and the PATH a package manager must be on; with
 * `checkManager` false the manager need not be installed (for `init`).
 */
export async function importFile(
  path: string,
  baseEnv: Record<string, string>,
  scripts: string[] = [],
  checkManager = true,
): Promise<Imported> {
  const file = normalizePath(path);
  const fail = (line: number | null, message: string): Imported => ({
    ok: false,
    error: { file, line, col: null, message },
  });
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    const { ioMessage } = await import("../load.ts");
    return fail(null, `cannot read the config: ${ioMessage(e)}`);
  }
  const format = detectFormat(file, text);
  if (format === "agent-procs") return { ok: true, file, format, text, draft: null };
  if (format === "procfile") {
    const port = Number(baseEnv.PORT);
    const draft = importProcfile(text, {
      basePort: Number.isInteger(port) && port > 0 && port < 65000 ? port : undefined,
      hasDotenv: await exists(`${dirOf(file)}/.env`),
    });
    return { ok: true, file, format, text, draft };
  }
  if (format === "process-compose") {
    const { parseForImport } = await import("./parse_yaml.ts");
    const r = await parseForImport(file, text);
    if (!r.ok) return { ok: false, error: r.error };
    return { ok: true, file, format, text, draft: r.draft };
  }
  const choice: ManagerChoice = format === "deno.json"
    ? { manager: "deno", because: "deno.json" }
    : await managerFor(file, text);
  const r = importPackageJson(text, scripts, choice);
  if (!r.ok) return fail(r.line, r.message);
  if (checkManager && !onPath(choice.manager, baseEnv.PATH)) {
    return fail(
      null,
      `${choice.because} says this project uses ${choice.manager}, but ${choice.manager} is not ` +
        `installed (not found on PATH); install it (e.g. \`corepack enable\` or \`npm install -g ` +
        `${choice.manager}\`) or remove the lock file`,
    );
  }
  return { ok: true, file, format, text, draft: r.draft };
}

/** Moves errors in the generated text back to the source file's lines. */
function mapErrors(errors: ConfigError[], file: string, r: Rendered): ConfigError[] {
  return errors.map((e) =>
    e.file !== file || e.line === null ? e : { ...e, line: r.lines[e.line - 1] ?? null, col: null }
  );
}

/** Loads a config in any supported format (see the module doc). */
export async function loadAnyConfig(
  path: string,
  baseEnv: Record<string, string>,
  scripts: string[] = [],
): Promise<AnyConfigResult> {
  const imp = await importFile(path, baseEnv, scripts);
  if (!imp.ok) return { ok: false, error: imp.error, errors: [imp.error] };
  const { loadConfigText } = await import("../load.ts");
  if (!imp.draft) {
    const res = await loadConfigText(imp.file, imp.text, baseEnv);
    return res.ok ? { ...res, format: imp.format, warnings: [] } : res;
  }
  const rendered = renderDraft(imp.draft);
  const res = await loadConfigText(imp.file, rendered.text, baseEnv);
  if (!res.ok) {
    const errors = mapErrors(res.errors, imp.file, rendered);
    return { ok: false, error: errors[0], errors };
  }
  const warnings = imp.draft.warnings.map((w) => ({ file: imp.file, ...w }));
  return { ok: true, config: res.config, format: imp.format, warnings };
}
