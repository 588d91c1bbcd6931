/**
 * Turning raw option values into an operation's typed input. Each operation
 * names the options it takes as a map (`{ name: OPT.name, ... }`); its input
 * type is derived from that map (`OptionValues`), and `readOptions` fills it
 * from the CLI's parsed flags or from MCP tool arguments, checking every
 * value the same way for both (usage errors are `CliError`s, exit 1).
 */

import { CliError } from "../errors.ts";
import type { OptionSpec } from "./options.ts";

/** The typed value of one option. */
export type ValueOf<O extends OptionSpec> = O["kind"] extends "boolean" ? boolean
  : O["kind"] extends "strings" ? string[]
  : O["kind"] extends "count" | "seconds" | "ms" | "port" ? number
  : O["kind"] extends "env" ? Record<string, string>
  : O extends { choices: readonly (infer C)[] } ? C
  : string;

/** A map from input keys to options. */
export type OptionMap = Record<string, OptionSpec>;

/** The typed values of a map of options: each absent (undefined) when not given. */
export type OptionValues<M extends OptionMap> = { [K in keyof M]?: ValueOf<M[K]> };

/** Where a raw value comes from: CLI text, or an MCP argument already typed by its schema. */
export type Source = "cli" | "mcp";

function usage(o: OptionSpec, what: string, v: unknown): CliError {
  return new CliError(`--${o.name} expects ${what}, got ${JSON.stringify(v)}`);
}

function wholeNumber(o: OptionSpec, v: unknown, src: Source): number {
  if (src === "mcp" && typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  if (src === "cli" && typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  throw usage(o, "a whole number", v);
}

function envPairs(o: OptionSpec, v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const kv of v) {
      const s = String(kv);
      const eq = s.indexOf("=");
      if (eq <= 0) throw usage(o, "K=V", s);
      out[s.slice(0, eq)] = s.slice(eq + 1);
    }
    return out;
  }
  if (typeof v === "object" && v !== null) {
    for (const [k, val] of Object.entries(v)) {
      if (!k || k.includes("=") || typeof val !== "string") throw usage(o, "K=V", k);
      out[k] = val;
    }
    return out;
  }
  throw usage(o, "K=V", v);
}

/** Converts one raw value (never undefined) into the option's typed value. */
export function convert(o: OptionSpec, v: unknown, src: Source): unknown {
  switch (o.kind) {
    case "boolean":
      if (typeof v !== "boolean") throw usage(o, "true or false", v);
      return v;
    case "string":
      if (typeof v !== "string") throw usage(o, "text", v);
      return v;
    case "strings":
      if (typeof v === "string") return [v];
      if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
        throw usage(o, "a list of text", v);
      }
      return v;
    case "count":
    case "ms":
      return wholeNumber(o, v, src);
    case "seconds": {
      if (src === "mcp" && typeof v === "number" && Number.isFinite(v) && v >= 0) {
        return Math.round(v * 1000);
      }
      if (typeof v === "string" && /^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
      throw new CliError(`--${o.name} expects seconds, got ${JSON.stringify(v)}`);
    }
    case "port": {
      const n = src === "mcp" && typeof v === "number"
        ? v
        : typeof v === "string"
        ? Number(v)
        : NaN;
      const text = typeof v === "string" ? /^\d+$/.test(v) : Number.isInteger(n);
      if (!text || n < 1 || n > 65535) throw usage(o, "1-65535", v);
      return n;
    }
    case "choice":
      if (typeof v !== "string" || !(o.choices ?? []).includes(v)) {
        throw usage(o, (o.choices ?? []).join(", ").replace(/, ([^,]*)$/, " or $1"), v);
      }
      return v;
    case "env":
      return envPairs(o, v);
  }
}

/**
 * Reads every option of `map` through `get` (the raw value of an option, or
 * undefined) and returns the typed values. Throws the first usage error.
 */
export function readOptions<M extends OptionMap>(
  map: M,
  get: (o: OptionSpec) => unknown,
  src: Source,
): OptionValues<M> {
  const out: Record<string, unknown> = {};
  for (const [key, o] of Object.entries(map)) {
    const raw = get(o);
    if (raw === undefined || (src === "mcp" && raw === false && o.kind === "boolean")) continue;
    out[key] = convert(o, raw, src);
  }
  return out as OptionValues<M>;
}
