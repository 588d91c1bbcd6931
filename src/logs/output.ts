/**
 * Presenting query results: merging several processes' lines by time for
 * `logs --all`, and formatting entries as plain text or JSON lines.
 *
 * JSON lines carry `{"process","stream","time","seq","generation","line",
 * "text","context","annotation"}`. `line` is the 1-based position of the line
 * in the process's whole log (both streams, all restarts): it equals `seq`
 * (sequences start at 1), stays the same across rotation and is what
 * `afterSeq` takes. A per-stream count was rejected: it cannot survive the
 * deletion of old segments without scanning. Separators are not written in
 * JSON (a gap in `seq` shows them).
 */

import type { LogEntry } from "./reader.ts";
import type { LogLine } from "./writer.ts";

/** A result entry tagged with its process name. */
export type NamedEntry =
  | { kind: "line"; process: string; line: LogLine; context: boolean }
  | { kind: "separator" };

/** Tags one process's entries with its name. */
export function nameEntries(process: string, entries: LogEntry[]): NamedEntry[] {
  return entries.map((e) => e.kind === "line" ? { ...e, process } : e);
}

/**
 * Interleaves several processes' lines in time order (`logs --all`). Lines
 * with equal timestamps keep the order of `perProcess`, then their own order.
 */
export function mergeByTime(perProcess: { name: string; lines: LogLine[] }[]): NamedEntry[] {
  const all: NamedEntry[] = [];
  const keys: number[] = [];
  for (const p of perProcess) {
    for (const line of p.lines) {
      all.push({ kind: "line", process: p.name, line, context: false });
      keys.push(line.ts);
    }
  }
  const order = all.map((_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
  return order.map((i) => all[i]);
}

/**
 * Interleaves several processes' query results in time order (`logs --all`),
 * with or without context. Results without context are merged line by line
 * (as `mergeByTime`); a result with context keeps each group (a run of
 * entries between separators) whole, groups are ordered by the time of their
 * first line and a `--` separates a group from whatever comes next.
 */
export function mergeGroupsByTime(
  perProcess: { name: string; entries: LogEntry[] }[],
): NamedEntry[] {
  const units: { ts: number; order: number; grouped: boolean; items: NamedEntry[] }[] = [];
  for (const p of perProcess) {
    const grouped = p.entries.some((e) => e.kind === "separator" || e.context);
    let cur: NamedEntry[] = [];
    const close = () => {
      const first = cur.find((e) => e.kind === "line");
      if (first && first.kind === "line") {
        units.push({ ts: first.line.ts, order: units.length, grouped, items: cur });
      }
      cur = [];
    };
    for (const e of p.entries) {
      if (e.kind === "separator") close();
      else {
        cur.push({ ...e, process: p.name });
        if (!grouped) close();
      }
    }
    close();
  }
  units.sort((a, b) => a.ts - b.ts || a.order - b.order);
  const out: NamedEntry[] = [];
  units.forEach((u, i) => {
    if (i > 0 && (u.grouped || units[i - 1].grouped)) out.push({ kind: "separator" });
    out.push(...u.items);
  });
  return out;
}

/** Options of the plain text format. */
export interface TextFormat {
  /** Prefix each line with `[name] ` (for `--all`). */
  prefixName: boolean;
  /** Prefix each line with its ISO 8601 time (for `--timestamps`). */
  timestamps: boolean;
}

/** One entry as plain text: `[TIME ][[name] ]text`, or `--` for a separator. */
export function formatText(e: NamedEntry, f: TextFormat): string {
  if (e.kind === "separator") return "--";
  let s = e.line.text;
  if (f.prefixName) s = `[${e.process}] ${s}`;
  if (f.timestamps) s = `${new Date(e.line.ts).toISOString()} ${s}`;
  return s;
}

/** The JSON object of one line entry (see the module comment), or null for a separator. */
export function jsonEntry(e: NamedEntry): Record<string, string | number | boolean> | null {
  if (e.kind === "separator") return null;
  const l = e.line;
  return {
    process: e.process,
    stream: l.stream,
    time: new Date(l.ts).toISOString(),
    seq: l.seq,
    generation: l.generation,
    line: l.seq,
    text: l.text,
    context: e.context,
    annotation: l.annotation,
  };
}

/** One entry as a JSON line, or null for a separator (not written in JSON output). */
export function formatJson(e: NamedEntry): string | null {
  const o = jsonEntry(e);
  return o === null ? null : JSON.stringify(o);
}
