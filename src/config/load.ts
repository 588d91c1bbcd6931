/**
 * Loading a config file (the I/O edge): read it, parse it with the `yaml`
 * package (loaded with a dynamic import, so commands that never load a
 * config never pay for it), validate it (`validate.ts`), then check what
 * needs the disk (cwd directories, env files) and build a complete
 * `ProcessSpec` per process. Every problem becomes a `ConfigError` with the
 * file, line and column. Relative `cwd` and `env_file` paths (both levels)
 * start at the config file's directory; `~/` starts at `HOME` of the base env.
 */

import type { ProcessSpec } from "../model.ts";
import type { At, ConfigError, ConfigResult, StackConfig } from "./types.ts";
import { normalizePath, peekSession } from "./find.ts";
import { parseDotenv } from "./dotenv.ts";
import { resolveFrom, shortPath } from "./paths.ts";
import { Ast } from "./yaml_ast.ts";
import type { RawProcess } from "./process.ts";
import { type RawStack, validateStack } from "./validate.ts";

/** The result and error types, re-exported for callers of `loadConfig`. */
export type { ConfigError, ConfigResult, StackConfig } from "./types.ts";

/** Formats an error as `<file>:<line>:<col>: <message>` (file relative to cwd when shorter). */
export function formatConfigError(e: ConfigError): string {
  let cwd = "";
  try {
    cwd = Deno.cwd();
  } catch {
    cwd = ""; // the cwd was removed: show the absolute path
  }
  const file = shortPath(e.file, cwd);
  return e.line === null
    ? `${file}: ${e.message}`
    : `${file}:${e.line}:${e.col ?? 1}: ${e.message}`;
}

function fail(errors: ConfigError[]): ConfigResult {
  const seen = new Set<string>();
  const oneLine = errors.map((e) => ({ ...e, message: e.message.replace(/\s*\n\s*/g, " ") }));
  const unique = oneLine.filter((e) => {
    const k = `${e.file}:${e.line}:${e.col}:${e.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  return { ok: false, error: unique[0], errors: unique };
}

/** Why a file could not be read, in a few words (`file not found`, `permission denied`, ...). */
export function ioMessage(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "file not found";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "is a directory, not a file";
  return e instanceof Error ? e.message : String(e);
}

function yamlMessage(code: string, message: string, rest: string): string {
  if (code === "DUPLICATE_KEY") {
    const key = /^["']?([^:"'\n]*)/.exec(rest)?.[1].trim() ?? "";
    return `duplicate key ${JSON.stringify(key)}`;
  }
  if (code === "MULTIPLE_DOCS") {
    return 'the file holds more than one YAML document (a second "---")';
  }
  return `YAML syntax error: ${message}`;
}

/** Reads env files in order; later files win. Errors are pushed to `errors`. */
async function readEnvFiles(
  files: At<string>[],
  configPath: string,
  where: string,
  dir: string,
  home: string | undefined,
  errors: ConfigError[],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) {
    const path = resolveFrom(dir, f.value, home);
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      errors.push({
        file: configPath,
        ...f.pos,
        message: `${where}: cannot read ${JSON.stringify(f.value)}: ${ioMessage(e)}`,
      });
      continue;
    }
    const r = parseDotenv(text);
    if (!r.ok) errors.push({ file: path, line: r.line, col: r.col, message: r.message });
    else Object.assign(out, r.vars);
  }
  return out;
}

async function checkCwd(
  p: RawProcess,
  configPath: string,
  dir: string,
  home: string | undefined,
  errors: ConfigError[],
): Promise<string> {
  if (!p.cwd) return dir;
  const path = resolveFrom(dir, p.cwd.value, home);
  const where = `processes.${p.name}.cwd`;
  try {
    const st = await Deno.stat(path);
    if (!st.isDirectory) {
      errors.push({
        file: configPath,
        ...p.cwd.pos,
        message: `${where}: ${path} is not a directory`,
      });
    }
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "does not exist"
      : `cannot be used: ${ioMessage(e)}`;
    errors.push({ file: configPath, ...p.cwd.pos, message: `${where}: directory ${path} ${why}` });
  }
  return path;
}

function buildSpec(
  p: RawProcess,
  stack: RawStack,
  configPath: string,
  cwd: string,
  baseEnv: Record<string, string>,
  userEnv: Record<string, string>,
): ProcessSpec {
  const env = { ...baseEnv, ...userEnv };
  if (p.port !== null) {
    if (!("PORT" in userEnv)) env.PORT = String(p.port);
    if (!("HOST" in userEnv)) env.HOST = "127.0.0.1";
  }
  return {
    name: p.name,
    cmd: p.cmd,
    cwd,
    env,
    userEnv,
    port: p.port,
    proxy: stack.proxy || (p.browserLogs ?? stack.browserLogs),
    browserLogs: p.browserLogs ?? stack.browserLogs,
    autorestart: p.autorestart,
    maxRestarts: p.maxRestarts,
    restartDelayMs: p.restartDelayMs,
    watch: p.watch,
    watchIgnore: p.watchIgnore,
    ready: p.ready,
    readyTimeoutMs: p.readyTimeoutMs,
    stopSignal: p.stopSignal,
    stopTimeoutMs: p.stopTimeoutMs,
    dependsOn: p.dependsOn.map((d) => d.value),
    configPath,
    stdin: p.stdin,
  };
}

/**
 * Loads and validates the config at `path`. `baseEnv` is the caller's
 * environment; each process gets baseEnv < top `env_file` < top `env` <
 * process `env_file` < process `env`, plus `PORT`/`HOST` for a `port` unless
 * the config sets them. Never throws for bad input: every problem is a
 * `ConfigError` (all of them in `errors`, the first in `error`).
 */
export async function loadConfig(
  path: string,
  baseEnv: Record<string, string>,
): Promise<ConfigResult> {
  const file = normalizePath(path);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    return fail([{
      file,
      line: null,
      col: null,
      message: `cannot read the config: ${ioMessage(e)}`,
    }]);
  }
  return await loadConfigText(file, text, baseEnv);
}

/**
 * Validates config `text` as if it were the file at `file` (an absolute
 * path: relative paths start at its directory), exactly as `loadConfig` does
 * after reading it. Importers of other formats hand their generated text here.
 */
export async function loadConfigText(
  file: string,
  text: string,
  baseEnv: Record<string, string>,
): Promise<ConfigResult> {
  const y = await import("yaml");
  const lc = new y.LineCounter();
  const doc = y.parseDocument(text, {
    lineCounter: lc,
    merge: true,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return fail(problems.map((p) => {
      const { line, col } = lc.linePos(p.pos[0]);
      return { file, line, col, message: yamlMessage(p.code, p.message, text.slice(p.pos[0])) };
    }));
  }
  if (doc.contents === null) {
    return fail([{
      file,
      line: null,
      col: null,
      message: 'the file is empty; it needs at least a "processes:" map',
    }]);
  }
  const ast = new Ast(y, doc, lc, file);
  const stack = validateStack(ast);
  if (!stack) {
    return fail(
      [...ast.errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0)),
    );
  }
  const peeked = peekSession(text);
  if ((stack.session?.value ?? null) !== peeked) {
    const pos = stack.session?.pos ?? { line: 1, col: 1 };
    return fail([{
      file,
      ...pos,
      message:
        `session: write it on one line as "session: NAME" at the top level (other commands read it ` +
        `without a YAML parser and see ${peeked === null ? "no session" : JSON.stringify(peeked)})`,
    }]);
  }
  return await resolveOnDisk(stack, file, baseEnv);
}

async function resolveOnDisk(
  stack: RawStack,
  file: string,
  baseEnv: Record<string, string>,
): Promise<ConfigResult> {
  const dir = file.slice(0, file.lastIndexOf("/")) || "/";
  const home = baseEnv.HOME;
  const errors: ConfigError[] = [];
  const topFiles = await readEnvFiles(stack.envFiles, file, "env_file", dir, home, errors);
  const processes: ProcessSpec[] = [];
  const userEnvs: Record<string, Record<string, string>> = {};
  for (const p of stack.processes) {
    const cwd = await checkCwd(p, file, dir, home, errors);
    const ownFiles = await readEnvFiles(
      p.envFiles,
      file,
      `processes.${p.name}.env_file`,
      dir,
      home,
      errors,
    );
    const userEnv = { ...topFiles, ...stack.env, ...ownFiles, ...p.env };
    userEnvs[p.name] = userEnv;
    processes.push(buildSpec(p, stack, file, cwd, baseEnv, userEnv));
  }
  if (errors.length > 0) return fail(errors);
  const config: StackConfig = {
    path: file,
    dir,
    session: stack.session?.value ?? null,
    proxy: stack.proxy,
    proxyPort: stack.proxyPort,
    idleTtlMs: stack.idleTtlMs,
    processes,
    userEnv: userEnvs,
    ...imagesOf(stack),
  };
  return { ok: true, config };
}

/** `images` of a config: only when a process has an `image:` (used by `export`). */
function imagesOf(stack: RawStack): Pick<StackConfig, "images"> {
  const with_ = stack.processes.filter((p) => p.image !== null);
  return with_.length ? { images: Object.fromEntries(with_.map((p) => [p.name, p.image!])) } : {};
}
