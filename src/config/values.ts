/**
 * Value rules of the config file (pure): process names, ports, durations and
 * stop signals. Each parser returns the typed value or an error message.
 */

/** A parsed value or the reason it is refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Process names: 1-64 of `A-Za-z0-9._-`, not starting with `.` or `-`. */
export const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

/** Checks a process or session name; returns what is wrong with it, or null. */
export function nameProblem(name: string): string | null {
  if (NAME_RE.test(name)) return null;
  if (name === "") return "it is empty";
  if (name.length > 64) return "longer than 64 characters";
  if (name.startsWith(".") || name.startsWith("-")) return `it cannot start with "${name[0]}"`;
  return "only A-Z a-z 0-9 . _ - are allowed";
}

/** True for an integer port 1-65535. */
export function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** The longest duration accepted anywhere (24 h), in ms. */
export const MAX_DURATION_MS = 24 * 3600 * 1000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

/**
 * Parses a duration: a number counts in `numberUnitMs` (1000 for seconds, 1
 * for ms); a string needs units: `500ms`, `10s`, `2m`, `1h`, `1.5s`, `1m30s`.
 * The result is whole ms, at least `minMs`, at most 24 h.
 */
export function parseDuration(
  v: number | string,
  numberUnitMs: number,
  minMs: number,
): Parsed<number> {
  let ms: number;
  if (typeof v === "number") {
    if (!Number.isFinite(v) || v < 0) {
      return { ok: false, message: `expected a duration >= 0, got ${v}` };
    }
    ms = Math.round(v * numberUnitMs);
  } else {
    const s = v.trim();
    if (!DURATION_RE.test(s)) {
      const hint = /^\d+(?:\.\d+)?$/.test(s) ? ` (add a unit: "${s}s" or "${s}ms")` : "";
      return {
        ok: false,
        message: `expected a duration such as 500ms, 10s or 2m, got ${JSON.stringify(v)}${hint}`,
      };
    }
    ms = 0;
    for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
    ms = Math.round(ms);
  }
  if (ms < minMs) {
    const min = minMs === 1 ? "greater than 0" : `at least ${minMs}ms`;
    return { ok: false, message: `must be ${min}, got ${JSON.stringify(v)}` };
  }
  if (ms > MAX_DURATION_MS) {
    return { ok: false, message: `must be at most 24h, got ${JSON.stringify(v)}` };
  }
  return { ok: true, value: ms };
}

import { STOP_SIGNALS } from "../model.ts";

export { STOP_SIGNALS };

/** Parses a stop signal: `SIGTERM`, `TERM` or `sigterm` all give `SIGTERM`. */
export function parseSignal(v: string): Parsed<Deno.Signal> {
  const up = v.trim().toUpperCase();
  const full = up.startsWith("SIG") ? up : `SIG${up}`;
  const found = STOP_SIGNALS.find((s) => s === full);
  if (found) return { ok: true, value: found };
  return { ok: false, message: `unknown or unusable stop signal ${JSON.stringify(v)}` };
}
