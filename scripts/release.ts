/**
 * Release build: `deno run -A scripts/release.ts [--dry-run] [--json]
 * [--target T]... [--out DIR]` (a relative DIR is relative to the repository root) compiles one standalone binary per target
 * (linux and macOS, x64 and arm64) into `dist/agent-procs-TARGET`, then
 * writes `dist/SHA256SUMS` and copies `scripts/install.sh` beside them.
 * `--dry-run` prints the plan and builds nothing. The plan is pure
 * (`release_plan.ts`); this file does the I/O.
 */

import { parseArgs } from "node:util";
import { createHash } from "node:crypto";
import { VERSION } from "../src/version.ts";
import {
  checksumsText,
  type DenortSource,
  findDenort,
  hostTarget,
  parseTarget,
  planLines,
  type ReleasePlan,
  releasePlan,
  type Target,
} from "./release_plan.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/** A path of the plan made absolute (plan paths are relative to the repository root). */
function abs(path: string): string {
  return path.startsWith("/") ? path : `${ROOT}/${path}`;
}

/** SHA-256 of a file, lowercase hex, read in chunks. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path);
  const buf = new Uint8Array(1 << 20);
  for (;;) {
    const n = await file.read(buf);
    if (n === null) break;
    hash.update(buf.subarray(0, n));
  }
  return hash.digest("hex");
}

/** Writes the checksum file `file` for the files `names` in `dir`; returns its text. */
export async function writeChecksums(dir: string, names: string[], file: string): Promise<string> {
  const entries = [];
  for (const name of names) entries.push({ name, sha256: await sha256File(`${dir}/${name}`) });
  const text = checksumsText(entries);
  await Deno.writeTextFile(file, text);
  return text;
}

/** Deno's cache directory, as `deno info` reports it. */
export async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as { denoDir?: unknown };
  if (typeof info.denoDir !== "string") throw new Error("deno info --json: no denoDir");
  return info.denoDir;
}

/** Where a denort for `target` is found here without the network (see `findDenort`). */
export async function localDenort(target: Target): Promise<DenortSource> {
  return findDenort({
    target,
    host: hostTarget(Deno.build.os, Deno.build.arch),
    denortBin: Deno.env.get("DENORT_BIN"),
    denoDir: await denoDir(),
    denoVersion: Deno.version.deno,
    exists: (p) => {
      try {
        return Deno.statSync(p).isFile;
      } catch {
        return false;
      }
    },
  });
}

async function readVersion(): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)) as { version?: unknown };
  if (config.version !== VERSION) {
    throw new Error(`deno.json version ${config.version} differs from src/version.ts ${VERSION}`);
  }
  return VERSION;
}

async function build(plan: ReleasePlan): Promise<void> {
  await Deno.mkdir(abs(plan.outDir), { recursive: true });
  await Deno.remove(abs(plan.checksums)).catch(() => null);
  const host = hostTarget(Deno.build.os, Deno.build.arch);
  if (Deno.env.get("DENORT_BIN") && plan.builds.some((b) => b.target !== host)) {
    throw new Error(`DENORT_BIN is one binary for the host (${host}): build only --target ${host}`);
  }
  for (const b of plan.builds) {
    console.log(`building ${b.output}`);
    const r = await new Deno.Command(Deno.execPath(), { args: b.denoArgs, cwd: ROOT }).output();
    if (r.code !== 0) throw new Error(`deno compile for ${b.target} failed (exit ${r.code})`);
  }
  const names = plan.builds.map((b) => b.output.slice(plan.outDir.length + 1));
  console.log(await writeChecksums(abs(plan.outDir), names, abs(plan.checksums)));
  await Deno.copyFile(abs(plan.installer.from), abs(plan.installer.to));
  await Deno.chmod(abs(plan.installer.to), 0o755);
  console.log(`wrote ${plan.checksums} and ${plan.installer.to}`);
}

/** Runs the release script; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
      target: { type: "string", multiple: true },
      out: { type: "string" },
    },
  });
  const targets: Target[] = [];
  for (const name of values.target ?? []) {
    const t = parseTarget(name);
    if (!t) throw new Error(`unknown target ${JSON.stringify(name)}`);
    targets.push(t);
  }
  const plan = releasePlan({ version: await readVersion(), outDir: values.out ?? "dist", targets });
  if (values["dry-run"]) {
    console.log(values.json ? JSON.stringify(plan) : planLines(plan).join("\n"));
    return 0;
  }
  await build(plan);
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    Deno.exit(1);
  }
}
