import { deepEqual, equal } from "node:assert/strict";
import { formatJson, formatText, mergeByTime, mergeGroupsByTime, nameEntries } from "./output.ts";
import type { LogEntry } from "./reader.ts";
import type { LogLine } from "./writer.ts";

function line(
  seq: number,
  ts: number,
  text: string,
  stream: "stdout" | "stderr" = "stdout",
): LogLine {
  return { seq, ts, stream, generation: 1, text, annotation: false };
}

Deno.test("mergeByTime interleaves by timestamp, ties keep process order then line order", () => {
  const merged = mergeByTime([
    { name: "api", lines: [line(1, 10, "a1"), line(2, 30, "a2"), line(3, 30, "a3")] },
    { name: "web", lines: [line(1, 5, "w1"), line(2, 30, "w2"), line(3, 40, "w3")] },
    { name: "db", lines: [] },
  ]);
  deepEqual(merged.map((e) => e.kind === "line" ? `${e.process}:${e.line.text}` : "--"), [
    "web:w1",
    "api:a1",
    "api:a2",
    "api:a3",
    "web:w2",
    "web:w3",
  ]);
});

Deno.test("mergeGroupsByTime keeps context groups whole and separates them", () => {
  const a: LogEntry[] = [
    { kind: "line", line: line(1, 10, "a1"), context: true },
    { kind: "line", line: line(2, 11, "a2 hit"), context: false },
    { kind: "separator" },
    { kind: "line", line: line(9, 50, "a9 hit"), context: false },
  ];
  const b: LogEntry[] = [{ kind: "line", line: line(4, 20, "b4 hit"), context: false }];
  const merged = mergeGroupsByTime([{ name: "a", entries: a }, { name: "b", entries: b }]);
  deepEqual(merged.map((e) => e.kind === "line" ? `${e.process}:${e.line.text}` : "--"), [
    "a:a1",
    "a:a2 hit",
    "--",
    "b:b4 hit",
    "--",
    "a:a9 hit",
  ]);
});

Deno.test("mergeGroupsByTime without context interleaves line by line, with no separators", () => {
  const a: LogEntry[] = [line(1, 10, "a1"), line(2, 30, "a2")].map((l) => ({
    kind: "line",
    line: l,
    context: false,
  }));
  const b: LogEntry[] = [line(1, 20, "b1"), line(2, 40, "b2")].map((l) => ({
    kind: "line",
    line: l,
    context: false,
  }));
  const merged = mergeGroupsByTime([{ name: "a", entries: a }, { name: "b", entries: b }]);
  deepEqual(merged.map((e) => e.kind === "line" ? e.line.text : "--"), ["a1", "b1", "a2", "b2"]);
});

Deno.test("formatText: plain, with [name] prefix, with ISO timestamps, separators", () => {
  const [e] = nameEntries("web", [{
    kind: "line",
    line: line(3, Date.parse("2025-01-02T03:04:05.678Z"), "hi"),
    context: false,
  }]);
  equal(formatText(e, { prefixName: false, timestamps: false }), "hi");
  equal(formatText(e, { prefixName: true, timestamps: false }), "[web] hi");
  equal(formatText(e, { prefixName: true, timestamps: true }), "2025-01-02T03:04:05.678Z [web] hi");
  equal(formatText({ kind: "separator" }, { prefixName: true, timestamps: true }), "--");
});

Deno.test("formatJson: every key, line = seq, context flag, no separators", () => {
  const [e] = nameEntries("api", [{
    kind: "line",
    line: line(7, 0, 'say "hi"', "stderr"),
    context: true,
  }]);
  deepEqual(JSON.parse(formatJson(e) ?? "null"), {
    process: "api",
    stream: "stderr",
    time: "1970-01-01T00:00:00.000Z",
    seq: 7,
    generation: 1,
    line: 7,
    text: 'say "hi"',
    context: true,
    annotation: false,
  });
  equal(formatJson({ kind: "separator" }), null);
});
