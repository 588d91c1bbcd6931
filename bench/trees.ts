/**
 * Shared by the benchmarks that compare this checkout with another one in the
 * same run (`--other DIR`, e.g. `git archive <commit> | tar -x -C /tmp/before`):
 * the checkouts by label, and running a checkout's CLI in a home of its own.
 */

/** `this` checkout, and `other` when `--other DIR` was given. */
export function checkouts(other: string | undefined): Record<string, string> {
  const trees: Record<string, string> = { this: new URL("..", import.meta.url).pathname };
  if (other) trees.other = other.replace(/\/?$/, "/");
  return trees;
}

/** Output of one CLI call and how long it took (ms). */
export interface CliRun {
  ms: number;
  out: string;
}

/**
 * Runs the CLI of the checkout `tree` (a directory ending in `/`) with `args`
 * in `home` as session `session`; throws with its stderr when it fails.
 */
export async function checkoutCli(
  tree: string,
  home: string,
  session: string,
  args: string[],
): Promise<CliRun> {
  const t0 = performance.now();
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "--unstable-npm-lazy-caching", `${tree}main.ts`, ...args],
    cwd: home,
    env: { AGENT_PROCS_HOME: home, AGENT_PROCS_SESSION: session, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!o.success) throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(o.stderr)}`);
  return { ms, out: new TextDecoder().decode(o.stdout) };
}

/** Waits (up to 15 s) until the daemon of `session` in `home` has gone (its pid file removed). */
export async function daemonGone(home: string, session: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      Deno.statSync(`${home}/run/${session}.pid`);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
