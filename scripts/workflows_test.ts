/**
 * The GitHub Actions workflows cannot run here, so they are checked here:
 * `@action-validator/cli` (pinned, from npm; the test fails when it cannot
 * run) validates both files against the workflow schema and job references,
 * and a broken copy proves it rejects; CI runs `.ci/run` on Linux and macOS;
 * the release workflow builds with scripts/release.ts and publishes exactly
 * the files its plan writes; and those files are what scripts/install.sh
 * downloads, checked by installing from them for each of the four platforms.
 */

import { deepEqual, equal, fail, match, ok } from "node:assert/strict";
import { createHash } from "node:crypto";
import { parse } from "yaml";
import { ACTION_VALIDATOR, npmTool } from "../tests/helpers/npm_tool.ts";
import { binaryName, releasePlan, type Target, TARGETS } from "./release_plan.ts";
import { VERSION } from "../src/version.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const CI = `${ROOT}/.github/workflows/ci.yml`;
const RELEASE = `${ROOT}/.github/workflows/release.yml`;
const dec = new TextDecoder();

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value at `path` in a parsed YAML document; fails the test naming the path. */
function at(doc: unknown, ...path: (string | number)[]): unknown {
  let v = doc;
  for (const k of path) {
    if (typeof k === "number" ? !Array.isArray(v) : !isObj(v)) {
      fail(`no ${path.join(".")} (stopped at ${String(k)})`);
    }
    v = (v as Obj)[k];
  }
  return v;
}

function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) fail(`${what} is not a list: ${JSON.stringify(v)}`);
  return v;
}

async function workflow(path: string): Promise<unknown> {
  return parse(await Deno.readTextFile(path)) as unknown;
}

/** Steps of a job, as objects. */
function steps(doc: unknown, job: string): Obj[] {
  return list(at(doc, "jobs", job, "steps"), `jobs.${job}.steps`).filter(isObj);
}

async function validate(file: string): Promise<{ code: number; output: string }> {
  const bin = await npmTool(ACTION_VALIDATOR);
  const out = await new Deno.Command(bin, {
    args: [file],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  return { code: out.code, output: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test("action-validator accepts .github/workflows/ci.yml and release.yml", async () => {
  for (const file of [CI, RELEASE]) {
    const r = await validate(file);
    equal(r.code, 0, `${file}:\n${r.output}`);
  }
});

Deno.test("action-validator rejects a broken copy of release.yml (the check can fail)", async () => {
  const text = await Deno.readTextFile(RELEASE);
  const dir = await Deno.makeTempDir({ prefix: "ap-workflow-" });
  try {
    const bad = `${dir}/release.yml`;
    await Deno.writeTextFile(bad, text.replace("needs: build", "needs: biuld"));
    const r = await validate(bad);
    ok(r.code !== 0, `validator passed a workflow that needs a missing job:\n${r.output}`);
    match(r.output, /biuld/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ci.yml runs .ci/run on ubuntu-latest and macos-latest with CI=true", async () => {
  const doc = await workflow(CI);
  deepEqual(at(doc, "jobs", "test", "strategy", "matrix", "os"), ["ubuntu-latest", "macos-latest"]);
  equal(at(doc, "jobs", "test", "runs-on"), "${{ matrix.os }}");
  equal(at(doc, "jobs", "test", "env", "CI"), "true");
  ok(steps(doc, "test").some((s) => s.run === ".ci/run"), "no step runs .ci/run");
  ok(isObj(at(doc, "on", "pull_request")) || at(doc, "on", "pull_request") === null);
});

/** Paths under `dist/` named in a text (an upload list or a `gh release create` command). */
function distPaths(text: string): string[] {
  return [...text.matchAll(/dist\/[A-Za-z0-9._-]+/g)].map((m) => m[0]).sort();
}

/** The files the release plan writes, as paths under `dist/`. */
function plannedFiles(): string[] {
  const plan = releasePlan({ version: VERSION, outDir: "dist" });
  return [...plan.builds.map((b) => b.output), plan.checksums, plan.installer.to].sort();
}

Deno.test("release.yml: v* tags, scripts/release.ts, and it uploads and publishes the plan's files", async () => {
  const doc = await workflow(RELEASE);
  deepEqual(at(doc, "on", "push", "tags"), ["v*"]);
  const build = steps(doc, "build");
  ok(
    build.some((s) => typeof s.run === "string" && /scripts\/release\.ts --out dist\b/.test(s.run)),
    "the build job does not run scripts/release.ts --out dist",
  );
  const setup = build.find((s) => String(s.uses ?? "").startsWith("denoland/setup-deno@"));
  equal(at(setup, "with", "deno-version"), Deno.version.deno, "release Deno = the tested Deno");
  const upload = build.find((s) => String(s.uses ?? "").startsWith("actions/upload-artifact@"));
  deepEqual(distPaths(String(at(upload, "with", "path"))), plannedFiles(), "uploaded files");
  const publish = steps(doc, "publish").find((s) => String(s.run ?? "").includes("gh release"));
  ok(publish, "no publish step runs gh release");
  deepEqual(distPaths(String(publish.run)), plannedFiles(), "published files");
  equal(at(doc, "jobs", "publish", "permissions", "contents"), "write");
  const smoke = list(at(doc, "jobs", "smoke", "strategy", "matrix", "include"), "smoke matrix");
  deepEqual(smoke.map((e) => at(e, "target")).sort(), [...TARGETS].sort(), "smoke-tested targets");
});

const PLATFORMS: [os: string, arch: string, target: Target][] = [
  ["Linux", "x86_64", "x86_64-unknown-linux-gnu"],
  ["Linux", "aarch64", "aarch64-unknown-linux-gnu"],
  ["Darwin", "x86_64", "x86_64-apple-darwin"],
  ["Darwin", "arm64", "aarch64-apple-darwin"],
];

Deno.test("install.sh installs from a release holding exactly release.yml's assets, on all four platforms", async () => {
  const doc = await workflow(RELEASE);
  const publish = steps(doc, "publish").find((s) => String(s.run ?? "").includes("gh release"));
  const assets = distPaths(String(publish?.run ?? "")).map((p) => p.slice("dist/".length));
  const dir = await Deno.makeTempDir({ prefix: "ap-release-assets-" });
  try {
    await Deno.mkdir(`${dir}/rel`);
    const sums: string[] = [];
    for (const name of assets) {
      if (name === "SHA256SUMS") continue;
      const body = name === "install.sh"
        ? await Deno.readTextFile(`${ROOT}/scripts/install.sh`)
        : `#!/bin/sh\necho "agent-procs ${VERSION} (binary) ${name}"\n`;
      await Deno.writeTextFile(`${dir}/rel/${name}`, body);
      sums.push(`${createHash("sha256").update(body).digest("hex")}  ${name}\n`);
    }
    ok(assets.includes("SHA256SUMS"), "release.yml publishes no SHA256SUMS");
    await Deno.writeTextFile(`${dir}/rel/SHA256SUMS`, sums.join(""));
    for (const [os, arch, target] of PLATFORMS) {
      const into = `${dir}/bin-${target}`;
      const out = await new Deno.Command("sh", {
        args: [`${dir}/rel/install.sh`, "--dir", into],
        env: {
          AGENT_PROCS_BASE_URL: `file://${dir}/rel`,
          AGENT_PROCS_OS: os,
          AGENT_PROCS_ARCH: arch,
          PATH: Deno.env.get("PATH") ?? "",
          HOME: dir,
        },
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(60_000),
      }).output();
      equal(out.code, 0, `${os}/${arch}: ${dec.decode(out.stdout)}${dec.decode(out.stderr)}`);
      equal(
        await Deno.readTextFile(`${into}/agent-procs`),
        await Deno.readTextFile(`${dir}/rel/${binaryName(target)}`),
        `${os}/${arch} installed the wrong binary`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
