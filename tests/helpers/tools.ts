/**
 * Real third-party tools the format tests run (foreman, docker-compose,
 * systemd-analyze, npm): find one on PATH, or fail the test naming the
 * package to install (a missing tool is a failure, never a silent skip).
 */

import { fail } from "node:assert/strict";

/** Absolute path of `cmd` on PATH; fails the test (naming the package) when missing. */
export async function need(cmd: string, pkg: string): Promise<string> {
  const out = await new Deno.Command("sh", { args: ["-c", `command -v ${cmd}`], stdout: "piped" })
    .output();
  const path = new TextDecoder().decode(out.stdout).trim();
  if (!out.success || !path) fail(`${cmd} is not installed; install ${pkg}`);
  return path;
}
