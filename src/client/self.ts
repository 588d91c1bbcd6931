/**
 * How this program re-invokes itself (to start its daemon) and how it names
 * its mode. Works both as `deno run main.ts` (script) and as a `deno compile`
 * binary; the decision is a pure function of the runtime facts, unit-tested
 * for both modes.
 */

/** The runtime facts that decide the mode. */
export interface RuntimeFacts {
  standalone: boolean;
  execPath: string;
  mainModule: string;
  /** The running Deno's version (e.g. `2.9.6`). */
  denoVersion: string;
}

/**
 * Deno installs every npm package of the lock file the first time any npm
 * package is used (~100 packages for the MCP SDK's tree) unless npm caching is
 * lazy. The flag is unstable, so it is passed only to the Deno versions it is
 * tested with (2.9 and later).
 */
export const LAZY_NPM_FLAG = "--unstable-npm-lazy-caching";

/** True when `version` (`MAJOR.MINOR.PATCH`) knows `LAZY_NPM_FLAG`. */
export function knowsLazyNpm(version: string): boolean {
  const [major, minor] = version.split(".").map(Number);
  return major > 2 || (major === 2 && minor >= 9);
}

/** The facts of the running program. */
export function currentFacts(): RuntimeFacts {
  return {
    standalone: Deno.build.standalone === true,
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
    denoVersion: Deno.version.deno,
  };
}

/** Command and arguments that run this program again with `args`. */
export function selfCommand(facts: RuntimeFacts, args: string[]): { cmd: string; args: string[] } {
  if (facts.standalone) return { cmd: facts.execPath, args };
  const lazy = knowsLazyNpm(facts.denoVersion) ? [LAZY_NPM_FLAG] : [];
  return {
    cmd: facts.execPath,
    args: ["run", "-A", "--quiet", ...lazy, facts.mainModule, ...args],
  };
}

/** "binary" or "script", for `--version`. */
export function modeName(facts: RuntimeFacts): "binary" | "script" {
  return facts.standalone ? "binary" : "script";
}

/**
 * V8 flags of the daemon, a mostly idle process that should stay small: a
 * young generation of at most 2 × 1 MiB (V8 grows it to 16 MiB under load and
 * keeps it), and no pool of freed large pages (every state save and status
 * reply of a big session is a large string; V8 kept up to 32 MiB of them for
 * 8 s). Measured with bench/daemon_memory.ts.
 */
export const DAEMON_V8_FLAGS = ["--max-semi-space-size=1", "--no-large-page-pool"] as const;

/**
 * The daemon's `DENO_V8_FLAGS` (read by Deno and by compiled binaries alike):
 * `DAEMON_V8_FLAGS` after any the user set.
 */
export function daemonV8Env(userFlags: string | undefined): { DENO_V8_FLAGS: string } {
  return { DENO_V8_FLAGS: [userFlags, ...DAEMON_V8_FLAGS].filter((f) => f).join(",") };
}
