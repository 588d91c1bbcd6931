/**
 * `session list` and `session clean`: every session found under the runtime
 * and state roots, whether its daemon answers, process counts, proxy URL;
 * clean stops orphan groups of dead sessions and removes their runtime files.
 */

import { bool, type CommandContext } from "../context.ts";
import { baseDirs, nameError, type SessionPaths, sessionPaths } from "../../paths.ts";
import type { ProcessInfo } from "../../model.ts";
import { request } from "../../client/connect.ts";
import { tryConnect } from "../../client/connect.ts";
import { localInfos, localState } from "../local.ts";
import { renderTable } from "../format.ts";

interface SessionRow {
  session: string;
  daemon: boolean;
  running: number;
  total: number;
  proxy: string | null;
}

function sessionNames(): string[] {
  const base = baseDirs();
  const names = new Set<string>();
  try {
    for (const e of Deno.readDirSync(`${base.stateRoot}/sessions`)) {
      if (e.isDirectory && !nameError("session", e.name)) names.add(e.name);
    }
  } catch {
    // no state yet
  }
  try {
    for (const e of Deno.readDirSync(base.runtimeRoot)) {
      const m = e.name.match(/^(.+)\.(sock|pid|lock)$/);
      if (m && !nameError("session", m[1])) names.add(m[1]);
    }
  } catch {
    // no runtime dir yet
  }
  return [...names].sort();
}

async function describe(paths: SessionPaths): Promise<SessionRow> {
  const conn = await tryConnect(paths.socket);
  let procs: ProcessInfo[];
  let daemon = false;
  let proxyPort: number | null = null;
  if (conn) {
    conn.close();
    daemon = true;
    procs = await request(paths, { type: "status" }, {
      autostart: false,
      timeoutMs: 5000,
    }) as ProcessInfo[];
  } else {
    const state = await localState(paths);
    procs = localInfos(state);
    proxyPort = state.proxyPort;
  }
  const url = procs.find((p) => p.url)?.url;
  const proxy = url
    ? url.replace(/\/\/[^.]+\./, "//")
    : daemon && proxyPort
    ? `http://localhost:${proxyPort}`
    : null;
  return {
    session: paths.session,
    daemon,
    running: procs.filter((p) => p.state === "running").length,
    total: procs.length,
    proxy,
  };
}

function cleanSession(paths: SessionPaths, purge: boolean): void {
  for (const f of [paths.socket, paths.pidFile, paths.startLock]) {
    try {
      Deno.removeSync(f);
    } catch {
      // not there
    }
  }
  if (purge) {
    try {
      Deno.removeSync(paths.stateDir, { recursive: true });
    } catch {
      // not there
    }
  }
}

/** Runs `session list` or `session clean`. */
export async function run(ctx: CommandContext): Promise<number> {
  const rows: SessionRow[] = [];
  for (const name of sessionNames()) rows.push(await describe(sessionPaths(name)));
  if (ctx.command === "session clean") {
    const purge = bool(ctx, "purge");
    const cleaned = rows.filter((r) => !r.daemon).map((r) => r.session);
    for (const s of cleaned) cleanSession(sessionPaths(s), purge);
    if (ctx.json) ctx.out(JSON.stringify({ cleaned, purged: purge }));
    else if (cleaned.length === 0) ctx.out("nothing to clean");
    else for (const s of cleaned) ctx.out(`cleaned ${s}${purge ? " (logs purged)" : ""}`);
    return 0;
  }
  if (ctx.json) {
    ctx.out(JSON.stringify(rows));
    return 0;
  }
  if (rows.length === 0) {
    ctx.out("no sessions");
    return 0;
  }
  const table = renderTable(
    ["SESSION", "DAEMON", "RUNNING", "TOTAL", "PROXY"],
    rows.map((
      r,
    ) => [
      r.session,
      r.daemon ? "running" : "-",
      String(r.running),
      String(r.total),
      r.proxy ?? "-",
    ]),
  );
  for (const l of table) ctx.out(l);
  return 0;
}
