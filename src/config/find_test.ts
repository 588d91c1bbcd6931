/** Tests for config discovery (`findConfig`) and the session line scanner (`peekSession`). */

import assert from "node:assert/strict";
import { findConfig, normalizePath, peekSession } from "./find.ts";

Deno.test("findConfig: walks up, prefers .yaml over .yml, skips directories", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "ap-find-" }));
  try {
    await Deno.mkdir(`${root}/a/b/c`, { recursive: true });
    const outside = findConfig(root);
    assert.ok(
      outside === null || !outside.startsWith(root),
      `found ${outside} before creating any`,
    );
    await Deno.writeTextFile(`${root}/a/agent-procs.yml`, "");
    assert.equal(findConfig(`${root}/a/b/c`), `${root}/a/agent-procs.yml`);
    await Deno.writeTextFile(`${root}/a/agent-procs.yaml`, "");
    assert.equal(findConfig(`${root}/a/b/c`), `${root}/a/agent-procs.yaml`);
    await Deno.mkdir(`${root}/a/b/agent-procs.yaml`); // a directory is not a config
    assert.equal(findConfig(`${root}/a/b/c/`), `${root}/a/agent-procs.yaml`);
    await Deno.writeTextFile(`${root}/a/b/c/agent-procs.yml`, "");
    assert.equal(findConfig(`${root}/a/b/c`), `${root}/a/b/c/agent-procs.yml`);
    assert.equal(findConfig(`${root}/a/b/c/../..`), `${root}/a/agent-procs.yaml`);
    assert.equal(findConfig(`${root}/does/not/exist`), outside);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("normalizePath: absolute, dots and slashes", () => {
  assert.equal(normalizePath("/a//b/./c/../d/"), "/a/b/d");
  assert.equal(normalizePath("/.."), "/");
  assert.equal(normalizePath("x"), `${Deno.cwd() === "/" ? "" : Deno.cwd()}/x`);
});

Deno.test("peekSession: plain, quoted, comments", () => {
  const cases: [string, string | null][] = [
    ["session: demo\nprocesses: {}\n", "demo"],
    ["processes: {}\nsession: demo\n", "demo"],
    ["session: demo # the project\n", "demo"],
    ["session:   demo   \n", "demo"],
    ["session:\tdemo\n", "demo"],
    ['session: "my-proj"\n', "my-proj"],
    ['session: "a\\"b" # c\n', 'a"b'],
    ['session: "a\\x41\\u0042"\n', "aAB"],
    ["session: 'it''s'\n", "it's"],
    ["session: 'x' # c\n", "x"],
    ['"session": quoted-key\n', "quoted-key"],
    ["session : spaced\n", "spaced"],
    ["session: a#b\n", "a#b"],
    ["session: 2024\n", "2024"],
    ["\uFEFFsession: bom\r\nprocesses: {}\r\n", "bom"],
  ];
  for (const [text, want] of cases) assert.equal(peekSession(text), want, JSON.stringify(text));
});

Deno.test("peekSession: what must not match", () => {
  const cases: string[] = [
    "processes:\n  session: nested\n",
    "processes:\n  api:\n    session: deeper\n",
    "  session: indented\n",
    "# session: commented\n",
    "sessions: plural\n",
    "session:nospace\n",
    "session:\n",
    "session: # only a comment\n",
    "session: ~\n",
    "session: null\n",
    'session: "unclosed\n',
    'session: "x" trailing\n',
    "session: [a]\n",
    "session: {a: 1}\n",
    "session: &anchor x\n",
    "session: |\n  block\n",
    "session: a: b\n",
    "env:\n  X: |\n    session: inside-block\n",
    "",
  ];
  for (const text of cases) assert.equal(peekSession(text), null, JSON.stringify(text));
});

Deno.test("peekSession: the first top-level session wins", () => {
  assert.equal(peekSession("processes:\n  session: no\nsession: yes\nsession: later\n"), "yes");
});
