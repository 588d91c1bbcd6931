/**
 * The release script: its pure plan, its checksum file (checked by the real
 * `sha256sum -c`), its dry run end to end, and the real compile of the host's
 * binary where a `denort` is available without the network (`DENORT_BIN` or
 * deno's download cache). Without one, the compile test is reported as
 * ignored (with the places looked at in its name), never as passed.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  binaryName,
  CHECKSUM_FILE,
  checksumsText,
  COMPILE_INCLUDES,
  compileArgs,
  ENTRY_MODULES,
  findDenort,
  hostTarget,
  parseTarget,
  planLines,
  type ReleasePlan,
  releasePlan,
  TARGETS,
} from "./release_plan.ts";
import { localDenort, sha256File, writeChecksums } from "./release.ts";
import { VERSION } from "../src/version.ts";
import { LAZY_MODULES } from "../src/lazy.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const dec = new TextDecoder();

async function run(cmd: string, args: string[], opts: Deno.CommandOptions = {}) {
  const out = await new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(300_000),
    ...opts,
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("release plan: four targets named by target, worker included, checksum file", () => {
  const plan = releasePlan({ version: "1.2.3", outDir: "dist/" });
  deepEqual(plan.builds.map((b) => b.target), [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
  ]);
  deepEqual(plan.builds[3].denoArgs, [
    "compile",
    "--target",
    "aarch64-apple-darwin",
    ...COMPILE_INCLUDES.flatMap((m) => ["--include", m]),
    "-A",
    "--output",
    "dist/agent-procs-aarch64-apple-darwin",
    "main.ts",
  ]);
  equal(plan.checksums, "dist/SHA256SUMS");
  deepEqual(plan.installer, { from: "scripts/install.sh", to: "dist/install.sh" });
  equal(
    releasePlan({ version: "1", outDir: "o", targets: ["x86_64-apple-darwin"] }).builds.length,
    1,
  );
  equal(planLines(plan).length, 7);
  equal(parseTarget("x86_64-pc-windows-msvc"), null);
  deepEqual(compileArgs("x86_64-apple-darwin", "x").slice(0, 3), [
    "compile",
    "--target",
    "x86_64-apple-darwin",
  ]);
});

Deno.test("release plan: host target and where a denort is found", () => {
  equal(hostTarget("linux", "x86_64"), "x86_64-unknown-linux-gnu");
  equal(hostTarget("darwin", "aarch64"), "aarch64-apple-darwin");
  equal(hostTarget("windows", "x86_64"), null);
  equal(hostTarget("linux", "riscv64"), null);
  const base = {
    target: TARGETS[0],
    host: TARGETS[0],
    denoDir: "/cache/deno",
    denoVersion: "2.9.6",
  };
  const zip = "/cache/deno/dl/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip";
  deepEqual(findDenort({ ...base, denortBin: "/x/denort", exists: () => true }), {
    kind: "env",
    path: "/x/denort",
  });
  deepEqual(findDenort({ ...base, denortBin: undefined, exists: (p) => p === zip }), {
    kind: "cache",
    path: zip,
  });
  // DENORT_BIN is one binary: it is not used for another target.
  const other = findDenort({
    ...base,
    host: TARGETS[1],
    denortBin: "/x/denort",
    exists: (p) => p === "/x/denort",
  });
  equal(other.kind, "none");
  deepEqual(findDenort({ ...base, denortBin: undefined, exists: () => false }), {
    kind: "none",
    looked: ["DENORT_BIN (unset)", zip],
  });
});

Deno.test("release checksums: SHA256SUMS of real files passes sha256sum -c", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ap-sums-" });
  try {
    const names = TARGETS.map(binaryName);
    for (const [i, n] of names.entries()) await Deno.writeTextFile(`${dir}/${n}`, `binary ${i}\n`);
    const text = await writeChecksums(dir, names, `${dir}/${CHECKSUM_FILE}`);
    equal(text.split("\n").length, 5);
    match(text, /^[0-9a-f]{64} {2}agent-procs-x86_64-unknown-linux-gnu\n/);
    equal(
      await sha256File(`${dir}/${names[0]}`),
      // sha256 of "binary 0\n"
      text.slice(0, 64),
    );
    equal(checksumsText([{ name: "a", sha256: "00" }]), "00  a\n");
    const check = await run("sha256sum", ["-c", CHECKSUM_FILE], { cwd: dir });
    equal(check.code, 0, check.stdout + check.stderr);
    await Deno.writeTextFile(`${dir}/${names[1]}`, "tampered\n");
    equal((await run("sha256sum", ["-c", CHECKSUM_FILE], { cwd: dir })).code, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("release script: dry-run plan, text and a bad target", async () => {
  const dry = await run(
    Deno.execPath(),
    ["run", "-A", "scripts/release.ts", "--dry-run", "--json"],
    { cwd: ROOT },
  );
  equal(dry.code, 0, dry.stderr);
  const plan = JSON.parse(dry.stdout) as ReleasePlan;
  equal(plan.version, VERSION);
  deepEqual(plan.builds.map((b) => b.output), TARGETS.map((t) => `dist/${binaryName(t)}`));
  equal(plan.checksums, "dist/SHA256SUMS");
  const text = await run(Deno.execPath(), ["run", "-A", "scripts/release.ts", "--dry-run"], {
    cwd: ROOT,
  });
  match(text.stdout, new RegExp(`^agent-procs ${VERSION}: 4 binaries into dist/\n`));
  match(
    text.stdout,
    /deno compile --target aarch64-apple-darwin --include src\/watch\/worker\.ts (--include src\/cli\/commands\/[a-z_]+\.ts )+(--include src\/[a-z_/]+\.ts )+-A --output dist\/agent-procs-aarch64-apple-darwin main\.ts/,
  );
  const bad = await run(Deno.execPath(), [
    "run",
    "-A",
    "scripts/release.ts",
    "--dry-run",
    "--target",
    "sparc",
  ], { cwd: ROOT });
  equal(bad.code, 1);
  match(bad.stderr, /unknown target "sparc"/);
});

const HOST = hostTarget(Deno.build.os, Deno.build.arch);
const DENORT = HOST ? await localDenort(HOST) : null;

// Without a denort (deno compile downloads one; this machine cannot), the binary test is reported
// as ignored, never as passed.
Deno.test({
  name: `release script: real compile of the host binary, run as CLI and its own daemon${
    DENORT?.kind === "none" ? ` (IGNORED: no denort; looked at ${DENORT.looked.join(", ")})` : ""
  }`,
  ignore: DENORT?.kind === "none",
  fn: async () => {
    ok(HOST && DENORT && DENORT.kind !== "none", `no release target for ${Deno.build.target}`);
    await compileAndRunBinary(HOST, DENORT.kind);
  },
});

/** Builds the host binary with the release script and runs it as CLI and as its own daemon. */
async function compileAndRunBinary(host: string, source: string): Promise<void> {
  const out = await Deno.makeTempDir({ prefix: "ap-release-" });
  const home = `${out}/home`;
  try {
    const r = await run(Deno.execPath(), [
      "run",
      "-A",
      "scripts/release.ts",
      "--target",
      host,
      "--out",
      out,
    ], {
      cwd: ROOT,
    });
    equal(r.code, 0, `release with a denort from ${source}: ${r.stdout}\n${r.stderr}`);
    const bin = `${out}/agent-procs-${host}`;
    equal((await run("sha256sum", ["-c", CHECKSUM_FILE], { cwd: out })).code, 0);
    const env = { AGENT_PROCS_HOME: home, AGENT_PROCS_SESSION: "bin", NO_COLOR: "1" };
    const version = await run(bin, ["--version"], { env });
    equal(version.stdout, `agent-procs ${VERSION} (binary)\n`);
    const started = await run(
      bin,
      ["run", "--name", "s", "--watch", "*.txt", "--", "sleep", "30"],
      {
        env,
        cwd: out,
      },
    );
    equal(started.code, 0, started.stderr);
    const rows = JSON.parse((await run(bin, ["status", "--json"], { env })).stdout) as {
      name: string;
      state: string;
      watched: boolean;
    }[];
    deepEqual(rows.map((p) => [p.name, p.state, p.watched]), [["s", "running", true]]);
    // The watch Worker is bundled: a change to a watched file restarts the process.
    await Deno.writeTextFile(`${out}/changed.txt`, "x\n");
    const deadline = Date.now() + 20_000;
    let seen = "";
    for (;;) {
      seen = (await run(bin, ["status", "--json"], { env })).stdout;
      const row = (JSON.parse(seen) as { generation: number; watch_error: string | null }[])[0];
      equal(row.watch_error, null, seen);
      if (row.generation >= 2) break;
      ok(Date.now() < deadline, `no watch restart in the binary within 20 s; last status: ${seen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    equal((await run(bin, ["stop-all"], { env })).code, 0);
  } finally {
    const pid = Number(await Deno.readTextFile(`${home}/run/bin.pid`).catch(() => "0"));
    if (pid > 0) {
      try {
        Deno.kill(pid, "SIGTERM");
        const until = Date.now() + 15_000;
        while (Date.now() < until && Deno.statSync(`/proc/${pid}`).isDirectory) {
          await new Promise((r) => setTimeout(r, 50));
        }
      } catch {
        // already gone
      }
    }
    await Deno.remove(out, { recursive: true });
  }
}

Deno.test("compile includes: the worker, every command module, the entries and the lazy modules, in the release and in deno task compile", () => {
  equal(COMPILE_INCLUDES[0], "src/watch/worker.ts");
  const commands = [...Deno.readDirSync(new URL("../src/cli/commands/", import.meta.url))]
    .map((e) => e.name).filter((n) => n.endsWith(".ts") && !n.endsWith("_test.ts")).sort();
  const prefix = "src/cli/commands/";
  deepEqual(
    COMPILE_INCLUDES.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length)).sort(),
    commands,
  );
  for (const m of [...ENTRY_MODULES, ...LAZY_MODULES.map((m) => `src/${m}`)]) {
    ok(COMPILE_INCLUDES.includes(m), `COMPILE_INCLUDES lacks ${m}`);
    Deno.statSync(new URL(`../${m}`, import.meta.url));
  }
  const task =
    JSON.parse(Deno.readTextFileSync(new URL("../deno.json", import.meta.url))).tasks.compile;
  for (const m of COMPILE_INCLUDES) {
    ok(task.includes(`--include ${m} `), `deno task compile lacks ${m}`);
  }
});
