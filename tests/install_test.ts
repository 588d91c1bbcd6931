/**
 * Installing, end to end. `scripts/install.sh` runs under `sh` against a local
 * HTTP server that serves a fake release directory laid out like
 * `scripts/release.ts` writes one (agent-procs-TARGET files that are small
 * shell scripts, and SHA256SUMS): success (piped into `sh` as `curl | sh`
 * does), a bad checksum, an unsupported platform, a failed download. And
 * `deno task install` (script mode) into a temporary DENO_INSTALL_ROOT.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  binaryName,
  CHECKSUM_FILE,
  checksumsText,
  hostTarget,
  type Target,
  TARGETS,
} from "../scripts/release_plan.ts";
import { VERSION } from "../src/version.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const SCRIPT = `${ROOT}/scripts/install.sh`;
const dec = new TextDecoder();

/** The fake binary of a target: prints a version line naming the target. */
const fakeBinary = (t: Target) => `#!/bin/sh\necho "agent-procs 9.9.9 (binary) ${t}"\n`;

/** A temp dir with a fake release served over HTTP; records the paths asked for. */
interface Release {
  dir: string;
  base: string;
  requests: string[];
  close(): Promise<void>;
}

async function serveRelease(opts: { corrupt?: Target } = {}): Promise<Release> {
  const dir = await Deno.makeTempDir({ prefix: "ap-install-" });
  await Deno.mkdir(`${dir}/rel`);
  const entries = [];
  for (const t of TARGETS) {
    const body = fakeBinary(t);
    await Deno.writeTextFile(`${dir}/rel/${binaryName(t)}`, body);
    const sum = createHash("sha256").update(t === opts.corrupt ? body + "x" : body).digest("hex");
    entries.push({ name: binaryName(t), sha256: sum });
  }
  await Deno.writeTextFile(`${dir}/rel/${CHECKSUM_FILE}`, checksumsText(entries));
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    requests.push(path);
    try {
      return new Response(await Deno.readFile(`${dir}${path}`));
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return {
    dir,
    base: `http://127.0.0.1:${server.addr.port}/rel`,
    requests,
    close: async () => {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs install.sh with `args`, the script on stdin (`curl | sh`) or as a file. */
async function install(
  rel: Release,
  args: string[],
  env: Record<string, string>,
  viaStdin = false,
): Promise<Outcome> {
  const tmp = `${rel.dir}/tmp`;
  await Deno.mkdir(tmp, { recursive: true });
  const child = new Deno.Command("sh", {
    args: viaStdin ? ["-s", "--", ...args] : [SCRIPT, ...args],
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: `${rel.dir}/home`,
      TMPDIR: tmp,
      AGENT_PROCS_BASE_URL: rel.base,
      ...env,
    },
    clearEnv: true,
    stdin: viaStdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).spawn();
  if (viaStdin) {
    const w = child.stdin.getWriter();
    await w.write(await Deno.readFile(SCRIPT));
    await w.close();
  }
  const out = await child.output();
  deepEqual([...Deno.readDirSync(tmp)].map((e) => e.name), [], "temp files left behind");
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function listDir(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  } catch {
    return [];
  }
}

const HOST = hostTarget(Deno.build.os, Deno.build.arch);

Deno.test("install.sh parses as POSIX sh", async () => {
  const r = await new Deno.Command("sh", {
    args: ["-n", SCRIPT],
    signal: AbortSignal.timeout(30_000),
  }).output();
  equal(r.code, 0, dec.decode(r.stderr));
});

Deno.test("install.sh (piped into sh): detects the platform, verifies, installs, explains PATH", async () => {
  ok(HOST, `this test runs on linux/macOS x64/arm64, not ${Deno.build.target}`);
  const rel = await serveRelease();
  try {
    const bin = `${rel.dir}/some/bin`;
    const r = await install(rel, ["--dir", bin], {}, true);
    equal(r.code, 0, r.stderr);
    const installed = `${bin}/agent-procs`;
    equal(await Deno.readTextFile(installed), fakeBinary(HOST));
    ok(((await Deno.stat(installed)).mode ?? 0) & 0o100, "executable");
    deepEqual(listDir(bin), ["agent-procs"]);
    match(r.stdout, new RegExp(`downloading ${binaryName(HOST)} from ${rel.base}`));
    match(r.stdout, /checksum OK/);
    match(r.stdout, new RegExp(`installed agent-procs 9\\.9\\.9 \\(binary\\) ${HOST} as ${bin}/`));
    match(r.stdout, new RegExp(`${bin} is not on your PATH`));
    match(r.stdout, new RegExp(`export PATH="${bin}:\\$PATH"`));
    deepEqual(rel.requests.sort(), [`/rel/${CHECKSUM_FILE}`, `/rel/${binaryName(HOST)}`].sort());
  } finally {
    await rel.close();
  }
});

Deno.test("install.sh: default ~/.local/bin, OS/arch overrides pick the macOS arm64 binary", async () => {
  const rel = await serveRelease();
  try {
    const bin = `${rel.dir}/home/.local/bin`;
    const path = `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`;
    const r = await install(rel, [], {
      AGENT_PROCS_OS: "Darwin",
      AGENT_PROCS_ARCH: "arm64",
      PATH: path,
    });
    equal(r.code, 0, r.stderr);
    equal(await Deno.readTextFile(`${bin}/agent-procs`), fakeBinary("aarch64-apple-darwin"));
    match(r.stdout, /run: agent-procs --help/);
    ok(!r.stdout.includes("not on your PATH"));
  } finally {
    await rel.close();
  }
});

Deno.test("install.sh: a bad checksum installs nothing and keeps the old binary", async () => {
  const rel = await serveRelease({ corrupt: "x86_64-unknown-linux-gnu" });
  try {
    const bin = `${rel.dir}/bin`;
    await Deno.mkdir(bin);
    await Deno.writeTextFile(`${bin}/agent-procs`, "old\n");
    const r = await install(rel, ["--dir", bin], {
      AGENT_PROCS_OS: "Linux",
      AGENT_PROCS_ARCH: "x86_64",
    });
    equal(r.code, 1);
    match(
      r.stderr,
      /error: checksum mismatch for agent-procs-x86_64-unknown-linux-gnu: expected [0-9a-f]{64}, got [0-9a-f]{64}; nothing was installed/,
    );
    equal(await Deno.readTextFile(`${bin}/agent-procs`), "old\n");
    deepEqual(listDir(bin), ["agent-procs"]);
  } finally {
    await rel.close();
  }
});

Deno.test("install.sh: an unsupported platform fails before downloading anything", async () => {
  const rel = await serveRelease();
  try {
    const bin = `${rel.dir}/bin`;
    for (
      const [os, arch] of [["FreeBSD", "x86_64"], ["Linux", "riscv64"], ["MINGW64_NT", "x86_64"]]
    ) {
      const r = await install(rel, ["--dir", bin], { AGENT_PROCS_OS: os, AGENT_PROCS_ARCH: arch });
      equal(r.code, 1);
      match(
        r.stderr,
        new RegExp(
          `error: unsupported platform: ${os}/${arch} \\(releases exist for Linux and macOS`,
        ),
      );
    }
    deepEqual(rel.requests, []);
    deepEqual(listDir(bin), []);
  } finally {
    await rel.close();
  }
});

Deno.test("install.sh: a failed download or a missing checksum installs nothing", async () => {
  const rel = await serveRelease();
  try {
    const bin = `${rel.dir}/bin`;
    const env = { AGENT_PROCS_OS: "Linux", AGENT_PROCS_ARCH: "aarch64" };
    const missing = await install(rel, ["--dir", bin], {
      ...env,
      AGENT_PROCS_BASE_URL: `${rel.base}/nope`,
    });
    equal(missing.code, 1);
    match(
      missing.stderr,
      new RegExp(`error: download failed: ${rel.base}/nope/agent-procs-aarch64-unknown-linux-gnu`),
    );
    await Deno.writeTextFile(`${rel.dir}/rel/${CHECKSUM_FILE}`, "");
    const nosum = await install(rel, ["--dir", bin], env);
    equal(nosum.code, 1);
    match(nosum.stderr, /error: no checksum for agent-procs-aarch64-unknown-linux-gnu in /);
    deepEqual(listDir(bin), []);
    const bad = await install(rel, ["--bogus"], env);
    equal(bad.code, 1);
    match(bad.stderr, /unknown argument: --bogus/);
  } finally {
    await rel.close();
  }
});

Deno.test("deno task install: installs an agent-procs command that runs in script mode", async () => {
  const root = await Deno.makeTempDir({ prefix: "ap-deno-install-" });
  try {
    const denoBin = Deno.execPath().replace(/\/[^/]+$/, "");
    const path = `${denoBin}:${Deno.env.get("PATH") ?? ""}`;
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["task", "install"],
      cwd: ROOT,
      env: { DENO_INSTALL_ROOT: root, PATH: path, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000),
    }).output();
    equal(r.code, 0, dec.decode(r.stderr));
    // It tells how to put the install directory on PATH (it is not on this PATH).
    const said = dec.decode(r.stdout) + dec.decode(r.stderr);
    ok(said.includes(`${root}/bin`) && said.includes("PATH"), said);
    const v = await new Deno.Command(`${root}/bin/agent-procs`, {
      args: ["--version"],
      cwd: root,
      env: { PATH: path, AGENT_PROCS_HOME: `${root}/home` },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    equal(dec.decode(v.stdout), `agent-procs ${VERSION} (script)\n`, dec.decode(v.stderr));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
