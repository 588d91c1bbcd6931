import { deepEqual, equal } from "node:assert/strict";
import { compilePattern, parseSince } from "./pattern.ts";

function matcher(p: string, regex: boolean, ignoreCase = false) {
  const r = compilePattern(p, { regex, ignoreCase });
  if (!r.ok) throw new Error(r.error);
  return r.matcher;
}

Deno.test("substring patterns match literally, regex characters included", () => {
  const m = matcher("a.b(", false);
  equal(m.test("xa.b(y"), true);
  equal(m.test("axb("), false);
  equal(m.find("zz\na.b(", 0), 3);
});

Deno.test("ignore case works for substrings and regexes", () => {
  equal(matcher("ERROR", false, true).test("an error here"), true);
  equal(matcher("e[rR]+or", true, true).test("ERROR"), true);
  equal(matcher("ERROR", false).test("error"), false);
});

Deno.test("regex anchors are per line in a block search", () => {
  const m = matcher("^start", true);
  equal(m.test("start here"), true);
  equal(m.test("not start"), false);
  equal(m.find("not start\nstart here", 0), 10);
});

Deno.test("a bad regex is an error value with the pattern in it", () => {
  const r = compilePattern("a(b", { regex: true });
  equal(r.ok, false);
  if (!r.ok) equal(r.error.includes('"a(b"'), true);
});

Deno.test("unicode property escapes work", () => {
  equal(matcher("\\p{Lu}{3}", true).test("abc DEF"), true);
  equal(matcher("\\p{Lu}{3}", true).test("abc def"), false);
});

Deno.test("parseSince: durations back from now", () => {
  const now = 1_700_000_000_000;
  deepEqual(parseSince("30s", now), { kind: "time", ms: now - 30_000 });
  deepEqual(parseSince("5m", now), { kind: "time", ms: now - 300_000 });
  deepEqual(parseSince("2h", now), { kind: "time", ms: now - 7_200_000 });
  deepEqual(parseSince("1d", now), { kind: "time", ms: now - 86_400_000 });
  deepEqual(parseSince("1h30m", now), { kind: "time", ms: now - 5_400_000 });
  deepEqual(parseSince("500ms", now), { kind: "time", ms: now - 500 });
});

Deno.test("parseSince: restart, start, ISO times, clock times", () => {
  const now = Date.parse("2025-03-01T12:00:00Z");
  deepEqual(parseSince("restart", now), { kind: "restart" });
  deepEqual(parseSince("start", now), { kind: "start" });
  deepEqual(parseSince("2025-03-01T11:00:00Z", now), { kind: "time", ms: now - 3_600_000 });
  deepEqual(parseSince("2025-03-01", now), { kind: "time", ms: Date.parse("2025-03-01") });
  const clock = parseSince("00:00", now);
  equal(clock.kind, "time");
  if (clock.kind === "time") equal(clock.ms <= now && clock.ms > now - 86_400_000, true);
});

Deno.test("parseSince: garbage is an error value with a hint", () => {
  for (const bad of ["", "yesterday", "5x", "2025-13-45", "25:00", "-5m"]) {
    const r = parseSince(bad, 0);
    equal(r.kind, "error", bad);
    if (r.kind === "error") equal(r.message.includes("30s"), true);
  }
});
