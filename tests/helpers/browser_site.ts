/**
 * Starts `tests/fixtures/browser_site.ts` (a quiet static file server) as the
 * process `web` with `run --browser-logs`, serving `files` from `HOME/site`,
 * and returns its proxy URL (`http://web.localhost:PROXYPORT`).
 */

import { equal, match, ok } from "node:assert/strict";
import type { TestEnv } from "./harness.ts";

const SITE = new URL("../fixtures/browser_site.ts", import.meta.url).pathname;

/** Runs the site as `web` with browser capture on; `files` maps names to contents. */
export async function startBrowserSite(
  env: TestEnv,
  files: Record<string, string>,
): Promise<string> {
  const dir = `${env.home}/site`;
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  const r = await env.cli([
    "run",
    `${Deno.execPath()} run -A ${SITE}`,
    "--name",
    "web",
    "--browser-logs",
    "--ready",
    "listening on",
  ], { cwd: dir });
  equal(r.code, 0, r.stderr);
  match(r.stdout, /http:\/\/web\.localhost:\d+/);
  const url = (await env.proc("web")).url;
  ok(url, "web has a proxy URL");
  return url;
}
