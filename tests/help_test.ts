/**
 * Snapshot tests of `--help`: the top-level help and every command's help, as
 * printed by the real CLI, against `tests/fixtures/help/*.txt`. After changing
 * the command table on purpose, rewrite the snapshots with
 * `UPDATE_SNAPSHOTS=1 deno test -A tests/help_test.ts` and review the diff.
 * With `CI=true` that variable makes every snapshot test fail instead.
 */

import { deepEqual, equal, fail, match, ok } from "node:assert/strict";
import { type TestEnv, withEnv } from "./helpers/harness.ts";
import { COMMANDS } from "../src/cli/table.ts";
import { NAMES_ARG } from "../src/cli/completions/mod.ts";
import { VERSION } from "../src/version.ts";

const DIR = new URL("./fixtures/help/", import.meta.url).pathname;
const UPDATE = Deno.env.get("UPDATE_SNAPSHOTS") === "1";
/** In CI a snapshot is only compared, never rewritten (a leaked UPDATE_SNAPSHOTS must not pass). */
const IN_CI = Deno.env.get("CI") === "true";

/** Snapshot file of a command (`session list` → `session-list.txt`). */
function snapshotFile(command: string | null): string {
  return `${DIR}${command === null ? "main" : command.replaceAll(" ", "-")}.txt`;
}

/** Compares `actual` with the snapshot (or writes it when updating); returns a problem or null. */
async function checkSnapshot(command: string | null, actual: string): Promise<string | null> {
  const file = snapshotFile(command);
  if (UPDATE && IN_CI) {
    return `${
      command ?? "main"
    }: UPDATE_SNAPSHOTS=1 is refused when CI=true (compare, never rewrite)`;
  }
  if (UPDATE) {
    await Deno.mkdir(DIR, { recursive: true });
    await Deno.writeTextFile(file, actual);
    return null;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(file);
  } catch {
    return `${command ?? "main"}: no snapshot ${file}`;
  }
  if (expected === actual) return null;
  const a = actual.split("\n");
  const e = expected.split("\n");
  const at = a.findIndex((line, i) => line !== e[i]);
  return `${command ?? "main"}: differs from ${file} at line ${at + 1}:\n` +
    `  expected: ${JSON.stringify(e[at])}\n  actual:   ${JSON.stringify(a[at])}`;
}

/** Runs `agent-procs ...args` and returns stdout, failing on a non-zero exit. */
async function help(env: TestEnv, args: string[]): Promise<string> {
  const r = await env.cli(args);
  if (r.code !== 0) fail(`${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  equal(r.stderr, "", `${args.join(" ")} wrote to stderr`);
  return r.stdout;
}

/** Maps `fn` over `items`, at most `limit` at a time (the machine has few cores). */
async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const hint = "\n(if the change is intended: UPDATE_SNAPSHOTS=1 deno test -A tests/help_test.ts)";

Deno.test("--help of every command matches its snapshot", async () => {
  await withEnv("help", async (env) => {
    const problems = await pool(COMMANDS, 4, async (c) => {
      const text = await help(env, [...c.name.split(" "), "--help"]);
      ok(text.startsWith(`Usage: agent-procs ${c.name}`), text);
      return await checkSnapshot(c.name, text);
    });
    const wanted = new Set([null, ...COMMANDS.map((c) => c.name)].map(snapshotFile));
    const stale = [...Deno.readDirSync(DIR)].map((e) => `${DIR}${e.name}`)
      .filter((f) => !wanted.has(f));
    if (UPDATE && !IN_CI) { for (const f of stale) await Deno.remove(f); }
    else if (stale.length) problems.push(`snapshots of no command: ${stale.join(", ")}`);
    const found = problems.filter((p) => p !== null);
    if (found.length) fail(found.join("\n") + hint);
  });
});

Deno.test("top-level help: --help, -h, help and no arguments agree and match the snapshot", async () => {
  await withEnv("help-main", async (env) => {
    const [long, short, word, none] = await pool(
      [["--help"], ["-h"], ["help"], []],
      4,
      (args) => help(env, args),
    );
    deepEqual([short, word, none], [long, long, long]);
    for (const c of COMMANDS) ok(long.includes(`  ${c.name} `), `lists ${c.name}`);
    ok(!long.includes(NAMES_ARG), "the hidden names helper is not listed");
    const problem = await checkSnapshot(null, long);
    if (problem) fail(problem + hint);
  });
});

Deno.test("--version prints the version and the mode (script here)", async () => {
  await withEnv("version", async (env) => {
    equal(await help(env, ["--version"]), `agent-procs ${VERSION} (script)\n`);
    equal(await help(env, ["-V"]), `agent-procs ${VERSION} (script)\n`);
    deepEqual(JSON.parse(await help(env, ["--version", "--json"])), {
      version: VERSION,
      mode: "script",
    });
    match(await help(env, ["completions", "--help"]), /<bash\|zsh\|fish\|powershell>/);
  });
});
