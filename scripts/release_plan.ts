/**
 * The release plan, pure: which targets are built, what each binary is named,
 * the `deno compile` arguments, the checksum file's text, the host's target,
 * and where a `denort` base binary for a target can be found (an injected
 * `exists` keeps it testable). `scripts/release.ts` performs the plan.
 */

import { COMMAND_FILES } from "../src/cli/table.ts";
import { LAZY_MODULES } from "../src/lazy.ts";

/** What main.ts imports by computed specifier: the CLI, the daemon, the daemon's crash report. */
export const ENTRY_MODULES: readonly string[] = [
  "src/cli/main.ts",
  "src/daemon/main.ts",
  "src/daemon/fatal_report.ts",
];

/** A `deno compile --target` we release for. */
export type Target =
  | "x86_64-unknown-linux-gnu"
  | "aarch64-unknown-linux-gnu"
  | "x86_64-apple-darwin"
  | "aarch64-apple-darwin";

/** Every release target: linux and macOS on x64 and arm64. */
export const TARGETS: readonly Target[] = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
];

/** Name of the checksum file in the release directory (`sha256sum -c` format). */
export const CHECKSUM_FILE = "SHA256SUMS";

/**
 * Modules loaded at run time through computed specifiers, which `deno compile` must be told about:
 * the watcher's Worker, every command module (loaded by name from the command table), the two
 * sides of main.ts (`ENTRY_MODULES`) and the modules loaded on demand (`LAZY_MODULES`).
 */
export const COMPILE_INCLUDES: readonly string[] = [
  "src/watch/worker.ts",
  ...COMMAND_FILES.map((f) => `src/cli/commands/${f}`),
  ...ENTRY_MODULES,
  ...LAZY_MODULES.map((m) => `src/${m}`),
];

/** The file name of a target's binary, e.g. `agent-procs-aarch64-apple-darwin`. */
export function binaryName(target: Target): string {
  return `agent-procs-${target}`;
}

/** The target named `name`, or null. */
export function parseTarget(name: string): Target | null {
  return (TARGETS as readonly string[]).includes(name) ? name as Target : null;
}

/** The release target of a machine (`Deno.build.os`, `Deno.build.arch`), or null. */
export function hostTarget(os: string, arch: string): Target | null {
  const cpu = arch === "x86_64" ? "x86_64" : arch === "aarch64" ? "aarch64" : null;
  if (!cpu) return null;
  if (os === "linux") return `${cpu}-unknown-linux-gnu`;
  if (os === "darwin") return `${cpu}-apple-darwin`;
  return null;
}

/** Arguments of `deno` that compile one target into `output`. */
export function compileArgs(target: Target, output: string): string[] {
  return [
    "compile",
    "--target",
    target,
    ...COMPILE_INCLUDES.flatMap((m) => ["--include", m]),
    "-A",
    "--output",
    output,
    "main.ts",
  ];
}

/** One binary of the plan. */
export interface Build {
  target: Target;
  /** Path of the binary, `OUT/agent-procs-TARGET`. */
  output: string;
  /** `deno` arguments, run from the repository root. */
  denoArgs: string[];
}

/** What a release run does. */
export interface ReleasePlan {
  version: string;
  outDir: string;
  builds: Build[];
  /** Path of the checksum file written after every build succeeded. */
  checksums: string;
  /** The installer copied next to the binaries (`curl -fsSL BASE/install.sh | sh`). */
  installer: { from: string; to: string };
}

/** The plan for `targets` (default: all four) into `outDir`. */
export function releasePlan(opts: {
  version: string;
  outDir: string;
  targets?: readonly Target[];
}): ReleasePlan {
  const out = opts.outDir.replace(/\/+$/, "") || ".";
  const targets = opts.targets?.length ? opts.targets : TARGETS;
  return {
    version: opts.version,
    outDir: out,
    builds: targets.map((target) => {
      const output = `${out}/${binaryName(target)}`;
      return { target, output, denoArgs: compileArgs(target, output) };
    }),
    checksums: `${out}/${CHECKSUM_FILE}`,
    installer: { from: "scripts/install.sh", to: `${out}/install.sh` },
  };
}

/** The human-readable plan, one step a line. */
export function planLines(plan: ReleasePlan): string[] {
  return [
    `agent-procs ${plan.version}: ${plan.builds.length} binaries into ${plan.outDir}/`,
    ...plan.builds.map((b) => `deno ${b.denoArgs.join(" ")}`),
    `sha256 of each binary -> ${plan.checksums}`,
    `copy ${plan.installer.from} -> ${plan.installer.to}`,
  ];
}

/** The checksum file's text: `HEX  NAME` lines, as `sha256sum` writes and checks them. */
export function checksumsText(entries: { name: string; sha256: string }[]): string {
  return entries.map((e) => `${e.sha256}  ${e.name}\n`).join("");
}

/** Where a `denort` for a target was found, or every place looked at. */
export type DenortSource =
  | { kind: "env"; path: string }
  | { kind: "cache"; path: string }
  | { kind: "none"; looked: string[] };

/**
 * Finds the base binary `deno compile` needs for `target` without the network:
 * `DENORT_BIN` (which deno uses for whatever target, so only for the host's),
 * else the zip deno downloads into `DENO_DIR/dl/release/vVERSION/`.
 */
export function findDenort(opts: {
  target: Target;
  host: Target | null;
  denortBin: string | undefined;
  denoDir: string;
  denoVersion: string;
  exists: (path: string) => boolean;
}): DenortSource {
  const looked: string[] = [];
  if (opts.denortBin && opts.target === opts.host) {
    if (opts.exists(opts.denortBin)) return { kind: "env", path: opts.denortBin };
    looked.push(`DENORT_BIN=${opts.denortBin}`);
  } else {
    looked.push(opts.denortBin ? "DENORT_BIN (for the host target only)" : "DENORT_BIN (unset)");
  }
  const zip = `${opts.denoDir}/dl/release/v${opts.denoVersion}/denort-${opts.target}.zip`;
  if (opts.exists(zip)) return { kind: "cache", path: zip };
  looked.push(zip);
  return { kind: "none", looked };
}
