/**
 * Validation of a whole config document (pure over the parsed YAML): the
 * top-level keys, every process, then the dependency graph (unknown names,
 * duplicates, cycles with their path). Errors are collected on the `Ast` in
 * file order; nothing here touches the disk.
 */

import type { Ast, Entry } from "./yaml_ast.ts";
import type { At, Pos } from "./types.ts";
import { didYouMean } from "./suggest.ts";
import { nameProblem } from "./values.ts";
import { readBool, readDuration, readEnv, readPathList, readPort } from "./fields.ts";
import { PROCESS_KEYS, type RawProcess, validateProcess } from "./process.ts";
import { findCycle } from "./graph.ts";

/** Keys allowed at the top level (SPEC §5.1). Keys starting with `x-` are ignored. */
export const TOP_KEYS: readonly string[] = [
  "session",
  "proxy",
  "proxy_port",
  "idle_ttl",
  "browser_logs",
  "env",
  "env_file",
  "processes",
];

/** A validated document, before cwd and env files are read from disk. */
export interface RawStack {
  session: At<string> | null;
  proxy: boolean;
  proxyPort: number | null;
  /** The top-level `idle_ttl:` in ms (0: none), or null. */
  idleTtlMs: number | null;
  /** The top-level `browser_logs:` (default false): capture the browser console of every process. */
  browserLogs: boolean;
  env: Record<string, string>;
  envFiles: At<string>[];
  processes: RawProcess[];
}

/** Names other tools use for the top-level keys, for "did you mean". */
const TOP_ALIASES: Readonly<Record<string, string>> = {
  services: "processes",
  procs: "processes",
  apps: "processes",
  environment: "env",
  env_files: "env_file",
  dotenv: "env_file",
};

/** Records an unknown top-level key; returns its suggestion (or ""). */
function unknownTopKey(ast: Ast, e: Entry): string {
  let hint = didYouMean(e.key, TOP_KEYS, TOP_ALIASES);
  const suggested = hint;
  if (PROCESS_KEYS.includes(e.key)) hint = ` ("${e.key}" belongs under processes.NAME)`;
  else if (e.value && ast.y.isMap(e.value) && e.value.has("cmd")) {
    hint = ` (to define process "${e.key}", put it under "processes:")`;
  }
  ast.fail(e.keyNode, `unknown top-level key ${JSON.stringify(e.key)}${hint}`);
  return suggested;
}

function readSession(ast: Ast, e: Entry): At<string> | null {
  const v = e.value;
  const text = v && ast.y.isScalar(v) && typeof v.value !== "boolean" ? ast.scalarText(v) : null;
  if (!v || text === null) {
    ast.fail(v ?? e.keyNode, `session: expected a session name, got ${ast.describe(v)}`);
    return null;
  }
  const problem = nameProblem(text);
  if (problem) {
    ast.fail(v, `session: invalid session name ${JSON.stringify(text)} (${problem})`);
    return null;
  }
  return { value: text, pos: ast.pos(v) };
}

function readProcesses(
  ast: Ast,
  e: Entry | undefined,
  rootPos: Pos,
  misspelt: boolean,
): RawProcess[] {
  if (!e) {
    if (misspelt) return []; // the unknown key already says "did you mean processes"
    ast.fail(rootPos, 'missing required top-level key "processes"');
    return [];
  }
  const v = e.value;
  if (!v || !ast.y.isMap(v) || v.items.length === 0) {
    const got = v && ast.y.isMap(v) ? "an empty map" : ast.describe(v);
    ast.fail(
      v && v.range && !ast.isNull(v) ? v : e.keyNode,
      `processes: expected a map of process names to definitions, got ${got}`,
    );
    return [];
  }
  const out: RawProcess[] = [];
  for (const def of ast.entries(v)) {
    if (def.broken) continue;
    const p = validateProcess(ast, def);
    if (p) out.push(p);
  }
  return out;
}

function checkDependencies(ast: Ast, processes: RawProcess[]): void {
  const names = processes.map((p) => p.name);
  for (const p of processes) {
    const seen = new Set<string>();
    for (const d of p.dependsOn) {
      const at = d.pos;
      if (d.value === p.name) {
        ast.fail(at, `processes.${p.name}.depends_on: a process cannot depend on itself`);
      } else if (seen.has(d.value)) {
        ast.fail(at, `processes.${p.name}.depends_on: "${d.value}" is listed twice`);
      } else if (!names.includes(d.value)) {
        ast.fail(
          at,
          `processes.${p.name}.depends_on: unknown process ${JSON.stringify(d.value)}${
            didYouMean(d.value, names)
          }`,
        );
      }
      seen.add(d.value);
    }
  }
  if (ast.errors.length > 0) return;
  const cycle = findCycle(
    processes.map((p) => ({ name: p.name, dependsOn: p.dependsOn.map((d) => d.value) })),
  );
  if (cycle) {
    const first = processes.find((p) => p.name === cycle[0]);
    ast.fail(
      first ? first.namePos : { line: 1, col: 1 },
      `dependency cycle: ${cycle.join(" -> ")}`,
    );
  }
}

/**
 * Validates a parsed document whose root is `ast.doc.contents`. Returns the
 * stack, or null with the errors on `ast.errors` (the graph is only checked
 * once every process is valid).
 */
export function validateStack(ast: Ast): RawStack | null {
  const root = ast.resolve(ast.doc.contents);
  if (root === null || ast.isNull(root)) {
    ast.fail({ line: 1, col: 1 }, 'the file is empty; it needs at least a "processes:" map');
    return null;
  }
  if (!ast.y.isMap(root)) {
    ast.fail(
      root,
      `expected a map at the top level (session, proxy, env, processes, ...), got ${
        ast.describe(root)
      }`,
    );
    return null;
  }
  const stack: RawStack = {
    session: null,
    proxy: false,
    proxyPort: null,
    idleTtlMs: null,
    browserLogs: false,
    env: {},
    envFiles: [],
    processes: [],
  };
  let processesEntry: Entry | undefined;
  let misspelt = false;
  for (const e of ast.entries(root)) {
    if (e.key.startsWith("x-")) continue; // extension fields: a home for YAML anchors
    if (!TOP_KEYS.includes(e.key)) {
      misspelt = unknownTopKey(ast, e).includes('"processes"') || misspelt;
      continue;
    }
    if (e.key === "processes") {
      processesEntry = e;
      continue;
    }
    if (e.broken || ast.isNull(e.value)) continue; // "not set", or an unknown alias (reported)
    if (e.key === "session") stack.session = readSession(ast, e);
    else if (e.key === "proxy") stack.proxy = readBool(ast, e, "proxy") ?? false;
    else if (e.key === "proxy_port") stack.proxyPort = readPort(ast, e, "proxy_port") ?? null;
    else if (e.key === "browser_logs") {
      stack.browserLogs = readBool(ast, e, "browser_logs") ?? false;
    } else if (e.key === "idle_ttl") {
      stack.idleTtlMs = readDuration(ast, e, "idle_ttl", 1000, 0) ?? null;
    } else if (e.key === "env") stack.env = readEnv(ast, e, "env") ?? {};
    else if (e.key === "env_file") stack.envFiles = readPathList(ast, e, "env_file") ?? [];
  }
  stack.processes = readProcesses(ast, processesEntry, ast.pos(root), misspelt);
  if (ast.errors.length === 0) checkDependencies(ast, stack.processes);
  return ast.errors.length === 0 ? stack : null;
}
