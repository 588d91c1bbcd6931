/**
 * Typed readers for config fields (pure over the YAML nodes): each reads one
 * entry's value into a typed value, or records a positioned error on the
 * `Ast` and returns undefined. Callers treat a null value as "not set" before
 * calling them.
 */

import type { ReadyCheck } from "../model.ts";
import type { Ast, Entry, YNode } from "./yaml_ast.ts";
import type { At } from "./types.ts";
import { parseDuration } from "./values.ts";

/** Where a value is: the value node, or the key when the value is empty. */
function at(ast: Ast, e: Entry): YNode {
  return e.value && e.value.range && !ast.isNull(e.value) ? e.value : e.keyNode;
}

function wrong(ast: Ast, e: Entry, path: string, expected: string): undefined {
  ast.fail(at(ast, e), `${path}: expected ${expected}, got ${ast.describe(e.value)}`);
  return undefined;
}

/** A string (non-empty unless `allowEmpty`). */
export function readString(
  ast: Ast,
  e: Entry,
  path: string,
  allowEmpty = false,
): string | undefined {
  const v = e.value;
  if (!v || !ast.y.isScalar(v) || typeof v.value !== "string") {
    return wrong(ast, e, path, "a string");
  }
  if (!allowEmpty && v.value.trim() === "") {
    ast.fail(at(ast, e), `${path}: must not be empty`);
    return undefined;
  }
  return v.value;
}

/** true or false. */
export function readBool(ast: Ast, e: Entry, path: string): boolean | undefined {
  const v = e.value;
  if (!v || !ast.y.isScalar(v) || typeof v.value !== "boolean") {
    return wrong(ast, e, path, "true or false");
  }
  return v.value;
}

/** An integer of at least `min` (and at most `max`). */
export function readInt(
  ast: Ast,
  e: Entry,
  path: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const v = e.value;
  const range = max === Number.MAX_SAFE_INTEGER
    ? `an integer >= ${min}`
    : `an integer from ${min} to ${max}`;
  if (!v || !ast.y.isScalar(v) || typeof v.value !== "number" || !Number.isInteger(v.value)) {
    return wrong(ast, e, path, range);
  }
  if (v.value < min || v.value > max) return wrong(ast, e, path, range);
  return v.value;
}

/** A TCP port, 1-65535. */
export function readPort(ast: Ast, e: Entry, path: string): number | undefined {
  return readInt(ast, e, path, 1, 65535);
}

/** A duration: a number in `numberUnitMs` units, or a string with units. */
export function readDuration(
  ast: Ast,
  e: Entry,
  path: string,
  numberUnitMs: number,
  minMs: number,
): number | undefined {
  const v = e.value;
  const unit = numberUnitMs === 1 ? "ms" : "seconds";
  if (!v || !ast.y.isScalar(v) || (typeof v.value !== "number" && typeof v.value !== "string")) {
    return wrong(ast, e, path, `a duration (a number of ${unit}, or a string such as "10s")`);
  }
  const r = parseDuration(v.value, numberUnitMs, minMs);
  if (r.ok) return r.value;
  ast.fail(v, `${path}: ${r.message}`);
  return undefined;
}

/** One of `choices`, with a "did you mean" on a near miss. */
export function readEnum<T extends string>(
  ast: Ast,
  e: Entry,
  path: string,
  choices: readonly T[],
  suggest: (w: string) => string,
): T | undefined {
  const v = e.value;
  const list = choices.join(", ");
  if (!v || !ast.y.isScalar(v) || typeof v.value !== "string") {
    return wrong(ast, e, path, `one of ${list}`);
  }
  const found = choices.find((c) => c === v.value);
  if (found) return found;
  ast.fail(
    v,
    `${path}: unknown value ${JSON.stringify(v.value)}, expected one of ${list}${suggest(v.value)}`,
  );
  return undefined;
}

/** A list of non-empty strings, each with its place. */
export function readStringList(ast: Ast, e: Entry, path: string): At<string>[] | undefined {
  const v = e.value;
  if (!v || !ast.y.isSeq(v)) return wrong(ast, e, path, "a list of strings");
  const out: At<string>[] = [];
  let ok = true;
  for (const raw of v.items) {
    const item = ast.resolve(raw as YNode);
    if (!item) {
      ok = false; // an unknown alias, already reported
      continue;
    }
    if (!ast.y.isScalar(item) || typeof item.value !== "string" || item.value === "") {
      ast.fail(
        item,
        `${path}: expected a non-empty string in the list, got ${ast.describe(item)}`,
      );
      ok = false;
      continue;
    }
    out.push({ value: item.value, pos: ast.pos(item) });
  }
  return ok ? out : undefined;
}

/** `env_file`: one path or a list of paths. */
export function readPathList(ast: Ast, e: Entry, path: string): At<string>[] | undefined {
  const v = e.value;
  if (v && ast.y.isScalar(v) && typeof v.value === "string" && v.value !== "") {
    return [{ value: v.value, pos: ast.pos(v) }];
  }
  if (v && ast.y.isSeq(v)) return readStringList(ast, e, path);
  return wrong(ast, e, path, "a path or a list of paths");
}

/** `env`: a map of names to strings, numbers or booleans (stringified as written). */
export function readEnv(ast: Ast, e: Entry, path: string): Record<string, string> | undefined {
  const v = e.value;
  if (!v || !ast.y.isMap(v)) return wrong(ast, e, path, "a map of NAME: value");
  const out: Record<string, string> = {};
  let ok = true;
  for (const kv of ast.entries(v)) {
    if (kv.broken) {
      ok = false;
      continue;
    }
    if (kv.key === "" || /[=\0]/.test(kv.key)) {
      ast.fail(kv.keyNode, `${path}: invalid variable name ${JSON.stringify(kv.key)}`);
      ok = false;
      continue;
    }
    const text = kv.value ? ast.scalarText(kv.value) : null;
    if (text === null || text.includes("\0")) {
      const hint = ast.isNull(kv.value) ? ' (write "" for an empty value)' : "";
      ast.fail(
        at(ast, kv),
        `${path}.${kv.key}: expected a string, number or boolean, got ${
          ast.describe(kv.value)
        }${hint}`,
      );
      ok = false;
      continue;
    }
    out[kv.key] = text;
  }
  return ok ? out : undefined;
}

/** `ready`: a log substring, or one of `{log, regex}`, `{http}`, `{tcp, host}`, `{cmd}`. */
export function readReady(ast: Ast, e: Entry, path: string): ReadyCheck | undefined {
  const v = e.value;
  if (v && ast.y.isScalar(v) && typeof v.value === "string") {
    if (v.value === "") return wrong(ast, e, path, "a non-empty log pattern");
    return { kind: "log", pattern: v.value, regex: false };
  }
  if (!v || !ast.y.isMap(v)) {
    return wrong(ast, e, path, "a log pattern or a map with one of log, http, tcp, cmd");
  }
  const entries = ast.entries(v);
  if (entries.some((x) => x.broken)) return undefined;
  const fields = new Map(entries.map((x) => [x.key, x]));
  const kinds = ["log", "http", "tcp", "cmd", "listen"].filter((k) => fields.has(k));
  const allowed: Record<string, string[]> = {
    log: ["log", "regex"],
    http: ["http"],
    tcp: ["tcp", "host"],
    cmd: ["cmd"],
    listen: ["listen"],
  };
  if (kinds.length !== 1) {
    ast.fail(
      v,
      `${path}: expected exactly one of log, http, tcp, cmd, listen, got ${
        kinds.length === 0 ? "none" : kinds.join(" and ")
      }`,
    );
    return undefined;
  }
  const kind = kinds[0];
  for (const [k, x] of fields) {
    if (!allowed[kind].includes(k)) {
      ast.fail(
        x.keyNode,
        `${path}: unknown key ${JSON.stringify(k)} for a ${kind} check (allowed: ${
          allowed[kind].join(", ")
        })`,
      );
      return undefined;
    }
  }
  const main = fields.get(kind)!;
  if (kind === "listen") {
    const lv = main.value;
    if (lv && ast.y.isScalar(lv) && lv.value === true) return { kind: "listen" };
    return wrong(ast, main, `${path}.listen`, "true");
  }
  if (kind === "tcp") {
    const port = readPort(ast, main, `${path}.tcp`);
    const hostEntry = fields.get("host");
    const host = hostEntry ? readString(ast, hostEntry, `${path}.host`) : "127.0.0.1";
    return port === undefined || host === undefined ? undefined : { kind: "tcp", port, host };
  }
  const text = readString(ast, main, `${path}.${kind}`);
  if (text === undefined) return undefined;
  if (kind === "cmd") return { kind: "cmd", cmd: text };
  if (kind === "http") {
    let url: URL | null = null;
    try {
      url = new URL(text);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      ast.fail(
        main.value ?? main.keyNode,
        `${path}.http: expected an http:// or https:// URL, got ${JSON.stringify(text)}`,
      );
      return undefined;
    }
    return { kind: "http", url: text };
  }
  const regexEntry = fields.get("regex");
  const regex = regexEntry ? readBool(ast, regexEntry, `${path}.regex`) : false;
  if (regex === undefined) return undefined;
  if (regex) {
    try {
      new RegExp(text);
    } catch (err) {
      ast.fail(
        main.value ?? main.keyNode,
        `${path}.log: invalid regular expression: ${
          (err as Error).message.replace(/^Invalid regular expression: /, "")
        }`,
      );
      return undefined;
    }
  }
  return { kind: "log", pattern: text, regex };
}
