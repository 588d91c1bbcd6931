/**
 * The output filter: a substring (smart case: case-insensitive unless the
 * text has an upper-case letter) or a regular expression. An invalid regex
 * compiles to an error and no test, so it is shown but not applied.
 */

import type { LineTest } from "./layout.ts";

/** What the user typed after `/`, and whether it is a regex. */
export interface FilterSpec {
  text: string;
  regex: boolean;
}

/** A compiled filter: a line test (null: show everything) and an error for an invalid regex. */
export interface CompiledFilter {
  test: LineTest;
  error: string | null;
}

let cache: { text: string; regex: boolean; compiled: CompiledFilter } | null = null;

function build(spec: FilterSpec): CompiledFilter {
  if (spec.text === "") return { test: null, error: null };
  const caseless = spec.text === spec.text.toLowerCase();
  if (spec.regex) {
    try {
      const re = new RegExp(spec.text, caseless ? "i" : "");
      return { test: (s) => re.test(s), error: null };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return { test: null, error: msg.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, "") };
    }
  }
  if (caseless) {
    const needle = spec.text;
    return { test: (s) => s.toLowerCase().includes(needle), error: null };
  }
  const needle = spec.text;
  return { test: (s) => s.includes(needle), error: null };
}

/** Compiles a filter (the last result is cached, so calling it per frame is cheap). */
export function compileFilter(spec: FilterSpec): CompiledFilter {
  if (cache && cache.text === spec.text && cache.regex === spec.regex) return cache.compiled;
  const compiled = build(spec);
  cache = { text: spec.text, regex: spec.regex, compiled };
  return compiled;
}
