/** Unit tests of the pure glob logic: watch globs, ignores, roots, errors. */

import assert from "node:assert/strict";
import { makeMatcher, type Matcher } from "./matcher.ts";

const CWD = "/p/app";

function ok(globs: string[], ignore: string[] = [], cwd = CWD): Matcher {
  const m = makeMatcher(cwd, globs, ignore);
  if (!m.ok) throw new Error(`unexpected error: ${m.error}`);
  return m;
}

Deno.test("matcher: a globstar glob matches nested files below its base only", () => {
  const m = ok(["src/**/*.ts"]);
  assert.equal(m.match("/p/app/src/a.ts"), "src/a.ts");
  assert.equal(m.match("/p/app/src/x/y/b.ts"), "src/x/y/b.ts");
  assert.equal(m.match("/p/app/src/a.js"), null);
  assert.equal(m.match("/p/app/lib/a.ts"), null);
  assert.equal(m.match("/p/app/a.ts"), null);
  assert.deepEqual(m.roots, [{
    kind: "dir",
    path: "/p/app/src",
    recursive: true,
    glob: "src/**/*.ts",
  }]);
});

Deno.test("matcher: a one-level glob watches its base alone", () => {
  const m = ok(["*.json", "./config/*.yaml"]);
  assert.equal(m.match("/p/app/package.json"), "package.json");
  assert.equal(m.match("/p/app/sub/x.json"), null);
  assert.equal(m.match("/p/app/config/a.yaml"), "config/a.yaml");
  assert.equal(m.match("/p/app/config/x/a.yaml"), null);
  assert.deepEqual(m.roots.map((r) => r.kind === "dir" && [r.path, r.recursive]), [
    ["/p/app", false],
    ["/p/app/config", false],
  ]);
});

Deno.test("matcher: a pattern without wildcards names a file or a whole directory", () => {
  const m = ok(["config", ".env"]);
  assert.equal(m.match("/p/app/config"), "config");
  assert.equal(m.match("/p/app/config/a/b.yaml"), "config/a/b.yaml");
  assert.equal(m.match("/p/app/configx"), null);
  assert.equal(m.match("/p/app/.env"), ".env");
  assert.deepEqual(m.roots[0], { kind: "path", path: "/p/app/config", glob: "config" });
});

Deno.test("matcher: wildcards skip dot names unless the pattern spells the dot", () => {
  const m = ok(["src/**"]);
  assert.equal(m.match("/p/app/src/a.ts"), "src/a.ts");
  assert.equal(m.match("/p/app/src/.a.ts.swp"), null);
  assert.equal(ok(["src/.*"]).match("/p/app/src/.a.ts.swp"), "src/.a.ts.swp");
});

Deno.test("matcher: .git, node_modules, target and __pycache__ are ignored at any depth", () => {
  const m = ok(["**"]);
  for (
    const p of [
      ".git/config",
      "node_modules/a/b.js",
      "src/node_modules/x.js",
      "target/debug/a",
      "pkg/__pycache__/m.pyc",
      "a/b/.git/HEAD",
    ]
  ) {
    assert.equal(m.match(`/p/app/${p}`), null, p);
    assert.equal(m.isIgnored(`/p/app/${p}`), true, p);
  }
  assert.equal(m.match("/p/app/src/targets.ts"), "src/targets.ts");
  assert.equal(m.match("/p/app/my_node_modules/x"), "my_node_modules/x");
});

Deno.test("matcher: only segments below the cwd are checked for ignored names", () => {
  const m = ok(["**/*.rs"], [], "/home/u/target/proj");
  assert.equal(m.match("/home/u/target/proj/src/main.rs"), "src/main.rs");
  assert.equal(m.match("/home/u/target/proj/target/x.rs"), null);
});

Deno.test("matcher: a watch_ignore pattern without a slash matches any segment", () => {
  const m = ok(["**"], ["*.log", "dist", "./tmp/"]);
  assert.equal(m.match("/p/app/a/b/c.log"), null);
  assert.equal(m.match("/p/app/.hidden.log"), null);
  assert.equal(m.match("/p/app/x/dist/a.js"), null);
  assert.equal(m.match("/p/app/dist"), null);
  assert.equal(m.match("/p/app/tmp/a"), null);
  assert.equal(m.match("/p/app/a/b/c.txt"), "a/b/c.txt");
  assert.equal(m.match("/p/app/distance.js"), "distance.js");
});

Deno.test("matcher: a watch_ignore pattern with a slash matches the path or a parent from cwd", () => {
  const m = ok(["**"], ["build/out", "src/**/*.gen.ts"]);
  assert.equal(m.match("/p/app/build/out"), null);
  assert.equal(m.match("/p/app/build/out/x/y.js"), null);
  assert.equal(m.match("/p/app/src/build/out/y.js"), "src/build/out/y.js");
  assert.equal(m.match("/p/app/src/a/b.gen.ts"), null);
  assert.equal(m.match("/p/app/src/a/b.ts"), "src/a/b.ts");
});

Deno.test("matcher: globs may leave the cwd or be absolute", () => {
  const m = ok(["../shared/**/*.ts", "/etc/app/*.conf"]);
  assert.equal(m.match("/p/shared/lib/a.ts"), "../shared/lib/a.ts");
  assert.equal(m.match("/etc/app/x.conf"), "../../etc/app/x.conf");
  assert.equal(m.match("/p/other/a.ts"), null);
  assert.deepEqual(m.roots.map((r) => r.path), ["/p/shared", "/etc/app"]);
});

Deno.test("matcher: bad, empty and negated globs are errors naming the glob", () => {
  const cases: [string[], string[], RegExp][] = [
    [["src/[ab"], [], /bad watch glob "src\/\[ab"/],
    [["src/a[b/*.ts"], [], /bad watch glob/],
    [["src/{a,b"], [], /bad watch glob/],
    [["*.(ts"], [], /bad watch glob/],
    [[" "], [], /empty watch glob/],
    [["!src/**"], [], /negated watch glob "!src\/\*\*" is not supported; use watch_ignore/],
    [["src/**"], ["[x"], /bad watch_ignore glob "\[x"/],
    [["src/**"], [""], /empty watch_ignore glob/],
    [[], [], /no watch globs/],
  ];
  for (const [globs, ignore, re] of cases) {
    const m = makeMatcher(CWD, globs, ignore);
    assert.equal(m.ok, false, JSON.stringify(globs));
    if (!m.ok) assert.match(m.error, re);
  }
});
