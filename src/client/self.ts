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
