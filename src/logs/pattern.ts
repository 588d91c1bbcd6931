/**
 * User input for log queries, validated into values: `--grep` patterns
 * (substring or regular expression) compiled into a matcher that can both
 * test one line and search a whole block of lines, and `--since` specs.
 */

/** How a pattern is matched. */
export interface PatternOptions {
  /** Treat the pattern as a JavaScript regular expression (else a plain substring). */
  regex: boolean;
  /** Ignore case. */
  ignoreCase?: boolean;
}

/**
 * A compiled pattern. `test` checks one line's text; `find` returns the
 * index of the first possible match at or after `from` in a block of lines
 * joined by "\n" (or -1). Every line that `test` accepts contains a `find` hit.
 */
export interface LineMatcher {
  /** The pattern as the user gave it. */
  readonly source: string;
  /** Whether one line's text matches. */
  test(text: string): boolean;
  /** Index of the next hit in `block` at or after `from`, or -1. */
  find(block: string, from: number): number;
}

/** A compiled matcher, or a message saying what is wrong with the pattern. */
export type CompileResult = { ok: true; matcher: LineMatcher } | { ok: false; error: string };

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|\/-]/g, "\\$&");
}

function regexMatcher(source: string, pattern: string, flags: string): LineMatcher {
  // "m": ^ and $ also match at line ends, so a block search finds what a per-line test finds.
  const one = new RegExp(pattern, flags + "m");
  const all = new RegExp(pattern, flags + "gm");
  return {
    source,
    test(text) {
      one.lastIndex = 0;
      return one.test(text);
    },
    find(block, from) {
      all.lastIndex = from;
      const m = all.exec(block);
      return m ? m.index : -1;
    },
  };
}

/** Compiles a `--grep` pattern; a bad regular expression gives `{ ok: false, error }`. */
export function compilePattern(pattern: string, opts: PatternOptions): CompileResult {
  const i = opts.ignoreCase ? "i" : "";
  if (!opts.regex) {
    if (i) return { ok: true, matcher: regexMatcher(pattern, escapeRegex(pattern), i) };
    return {
      ok: true,
      matcher: {
        source: pattern,
        test: (text) => text.includes(pattern),
        find: (block, from) => block.indexOf(pattern, from),
      },
    };
  }
  // Unicode mode only when the pattern needs it (\p{..}, \u{..}); else plain
  // mode, falling back to Unicode mode for patterns only it accepts.
  const wantsUnicode = /\\[pP]\{|\\u\{/.test(pattern);
  const tries = wantsUnicode ? [i + "u"] : [i, i + "u"];
  let first: string | null = null;
  for (const flags of tries) {
    try {
      return { ok: true, matcher: regexMatcher(pattern, pattern, flags) };
    } catch (e) {
      first ??= e instanceof Error ? e.message : String(e);
    }
  }
  return { ok: false, error: `invalid regular expression ${JSON.stringify(pattern)}: ${first}` };
}

/** A parsed `--since` value: a time, a generation boundary for the caller to resolve, or an error. */
export type SinceSpec =
  | { kind: "time"; ms: number }
  | { kind: "restart" }
  | { kind: "start" }
  | { kind: "error"; message: string };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses `--since`: a duration back from `now` (`30s`, `5m`, `2h`, `1d`,
 * `1h30m`, `500ms`), `restart` or `start`, a clock time today (`14:05`,
 * `14:05:30`; yesterday when still ahead), or an ISO 8601 date/time.
 */
export function parseSince(spec: string, now: number): SinceSpec {
  const s = spec.trim();
  if (s === "restart" || s === "start") return { kind: s };
  if (/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(s)) {
    let total = 0;
    for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
      total += Number(m[1]) * UNIT_MS[m[2]];
    }
    return { kind: "time", ms: now - total };
  }
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (clock) {
    const [h, mi, se] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (h < 24 && mi < 60 && se < 60) {
      const d = new Date(now);
      d.setHours(h, mi, se, 0);
      const t = d.getTime();
      return { kind: "time", ms: t > now ? t - 86_400_000 : t };
    }
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const t = Date.parse(s);
    if (!Number.isNaN(t)) return { kind: "time", ms: t };
  }
  return {
    kind: "error",
    message: `invalid --since ${JSON.stringify(spec)}: use a duration (30s, 5m, 2h, 1d), ` +
      `restart, start, a time (14:05) or an ISO time (2025-01-31T14:05:00Z)`,
  };
}
