/**
 * Who listens on a TCP port, including programs agent-procs did not start:
 * on Linux from `/proc/net/tcp{,6}` (the listening socket's inode) and
 * `/proc/PID/fd` (which process holds that inode); on macOS from `lsof`.
 * Elsewhere the answer is "unknown" rather than a guess.
 */

import { listenInodes } from "./listen_table.ts";

/** A process that listens on a port. */
export interface PortHolder {
  pid: number;
  /** Its process group, when known (agent-procs processes are each a group). */
  pgid: number | null;
  /** Its command line (or command name), shortened for display. */
  command: string;
}

/** One listening socket from `/proc/net/tcp{,6}`. */
export interface ListenEntry {
  port: number;
  inode: number;
}

/** Parses `/proc/net/tcp` or `/proc/net/tcp6`: the sockets in LISTEN state (0A). Pure. */
export function parseProcNetTcp(text: string): ListenEntry[] {
  const out: ListenEntry[] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== "0A") continue;
    const port = parseInt(f[1].split(":")[1] ?? "", 16);
    const inode = Number(f[9]);
    if (port > 0 && inode > 0) out.push({ port, inode });
  }
  return out;
}

/** Parses `lsof -nP -iTCP:PORT -sTCP:LISTEN -Fpgc` output: the first process. Pure. */
export function parseLsof(text: string): PortHolder | null {
  let pid: number | null = null;
  let pgid: number | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("p")) pid = Number(line.slice(1));
    else if (line.startsWith("g")) pgid = Number(line.slice(1));
    else if (line.startsWith("c") && pid !== null) return { pid, pgid, command: line.slice(1) };
  }
  return pid === null ? null : { pid, pgid, command: "?" };
}

/** The process group in `/proc/PID/stat` (the field after the parenthesised name). Pure. */
export function parseStatPgid(stat: string): number | null {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const pgid = Number(rest[2]);
  return Number.isInteger(pgid) && pgid > 0 ? pgid : null;
}

function shortCommand(cmdline: string): string {
  const s = cmdline.replaceAll("\0", " ").trim();
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return null; // gone or not ours: that process is simply not the holder
  }
}

/** The first fd of `pid` that is one of `inodes` (sync: one process's fds are few). */
function holdsSocket(pid: number, inodes: Set<number>): boolean {
  try {
    for (const fd of Deno.readDirSync(`/proc/${pid}/fd`)) {
      let link: string;
      try {
        link = Deno.readLinkSync(`/proc/${pid}/fd/${fd.name}`);
      } catch {
        continue; // closed meanwhile
      }
      if (link.startsWith("socket:[") && inodes.has(Number(link.slice(8, -1)))) return true;
    }
  } catch {
    // exited while we looked, or not ours to read
  }
  return false;
}

/** Processes scanned between two yields to the event loop (the daemon keeps serving). */
const SCAN_BATCH = 16;

async function linuxHolder(port: number): Promise<PortHolder | null> {
  const inodes = new Set<number>();
  for (const [inode, p] of listenInodes()) if (p === port) inodes.add(inode);
  if (inodes.size === 0) return null;
  let n = 0;
  for (const d of Deno.readDirSync("/proc")) {
    const pid = Number(d.name);
    if (!Number.isInteger(pid)) continue;
    if (++n % SCAN_BATCH === 0) await new Promise((r) => setTimeout(r, 0));
    if (!holdsSocket(pid, inodes)) continue;
    const cmd = await readText(`/proc/${pid}/cmdline`);
    const command = shortCommand(cmd || (await readText(`/proc/${pid}/comm`)) || "?");
    return { pid, pgid: parseStatPgid(await readText(`/proc/${pid}/stat`) ?? ""), command };
  }
  return null;
}

async function lsofHolder(port: number): Promise<PortHolder | null> {
  try {
    const out = await new Deno.Command("lsof", {
      args: ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fpgc"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return parseLsof(new TextDecoder().decode(out.stdout));
  } catch {
    return null; // no lsof: unknown
  }
}

/** The process listening on TCP `port`, or null when none (or it cannot be told on this OS). */
export function portHolder(port: number): Promise<PortHolder | null> {
  if (Deno.build.os === "linux") return linuxHolder(port);
  if (Deno.build.os === "darwin") return lsofHolder(port);
  return Promise.resolve(null);
}
