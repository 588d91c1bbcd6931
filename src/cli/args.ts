/**
 * Argument parsing driven by the command table: long flags (`--name N`,
 * `--name=N`), short flags (`-n N`, `-nN`, bundled booleans `-fa`), repeatable
 * flags, and `--` ending the flags. Pure, and free of `node:util` (whose
 * Node-compat start-up costs ~10 ms on every command).
 */

import { type FlagSpec, repeatable } from "./table.ts";

/** Parsed flags and positionals, or the first problem. */
export type ParseResult =
  | { ok: true; flags: Record<string, string | boolean | string[]>; args: string[] }
  | { ok: false; message: string };

/** Parses `argv` against `specs`. */
export function parseFlags(argv: string[], specs: FlagSpec[]): ParseResult {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags: Record<string, string | boolean | string[]> = {};
  const args: string[] = [];
  const set = (spec: FlagSpec, value: string | boolean) => {
    if (repeatable(spec) && typeof value === "string") {
      const cur = flags[spec.name];
      flags[spec.name] = Array.isArray(cur) ? [...cur, value] : [value];
    } else {
      flags[spec.name] = value;
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = byLong.get(name);
      if (!spec) return { ok: false, message: `unknown option --${name}` };
      if (spec.kind === "boolean") {
        if (eq >= 0) return { ok: false, message: `option --${name} does not take a value` };
        set(spec, true);
        continue;
      }
      if (eq >= 0) set(spec, a.slice(eq + 1));
      else if (i + 1 < argv.length) set(spec, argv[++i]);
      else return { ok: false, message: `option --${name} needs a value` };
      continue;
    }
    if (a.startsWith("-") && a.length > 1 && !/^-\d/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const spec = byShort.get(a[j]);
        if (!spec) return { ok: false, message: `unknown option -${a[j]}` };
        if (spec.kind === "boolean") {
          set(spec, true);
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest) set(spec, rest);
        else if (i + 1 < argv.length) set(spec, argv[++i]);
        else return { ok: false, message: `option -${a[j]} (--${spec.name}) needs a value` };
        break;
      }
      continue;
    }
    args.push(a);
  }
  return { ok: true, flags, args };
}
