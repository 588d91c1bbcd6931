/**
 * What a process group uses now: the TCP ports its members listen on, its
 * CPU time and its resident memory, summed over the group. Linux reads
 * `/proc` (one pass over `/proc/PID/stat` finds the members with their CPU
 * time and resident pages; `/proc/net/tcp{,6}`, read at most once a second
 * unless asked `fresh`, gives the listening sockets, whose owners
 * `ListenOwners` remembers, reading fds only for sockets it cannot explain
 * yet); macOS runs `ps` and
 * `lsof` once per sample; elsewhere nothing is known (empty, null). Parsers
 * are pure; `sampleGroups` is the shell. Nothing here runs on a timer: the
 * daemon samples when a client asks.
 */

import { listenInodes } from "./listen_table.ts";
import { ListenOwners } from "./listen_owners.ts";

/** One group's usage at one moment. */
export interface GroupSample {
  /** CPU time of the live members, in seconds (user + system). */
  cpuSecs: number;
  /** Resident memory of the live members, in bytes. */
  rssBytes: number;
  /** TCP ports the members listen on, ascending. */
  listening: number[];
}

/** Clock ticks per second of `/proc/PID/stat` times (USER_HZ: 100 on every Linux in use). */
const USER_HZ = 100;

/** One line of `/proc/PID/stat` reduced to what a sample needs. Pure. */
export function parseStat(
  stat: string,
): { state: string; pgid: number; cpuTicks: number; rssPages: number } | null {
  const close = stat.lastIndexOf(")");
  if (close < 0) return null;
  const f = stat.slice(close + 2).split(" ");
  const pgid = Number(f[2]);
  const ticks = Number(f[11]) + Number(f[12]);
  if (!Number.isInteger(pgid) || !Number.isFinite(ticks)) return null;
  const rss = Number(f[21]);
  return { state: f[0], pgid, cpuTicks: ticks, rssPages: Number.isFinite(rss) ? rss : 0 };
}

/**
 * Bytes per page of `/proc/PID/stat`'s rss, learned once from this process's
 * own `statm` and `VmRSS` (4 KiB on x86-64; 4, 16 or 64 KiB on arm64).
 */
let pageBytes = 0;
function pageSize(): number {
  if (pageBytes) return pageBytes;
  const resident = Number((readSync("/proc/self/statm") ?? "").split(" ")[1]);
  const rss = parseVmRss(readSync("/proc/self/status") ?? "");
  const ratio = resident > 0 ? rss / resident : 4096;
  pageBytes = 2 ** Math.round(Math.log2(ratio > 0 ? ratio : 4096));
  return pageBytes;
}

/** `VmRSS` of `/proc/PID/status`, in bytes (0 when absent, e.g. a kernel thread). Pure. */
export function parseVmRss(status: string): number {
  const m = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
  return m ? Number(m[1]) * 1024 : 0;
}

/** Parses `ps -axo pid=,pgid=,time=,rss=` (macOS): members per group with CPU secs and RSS KiB. Pure. */
export function parsePs(
  text: string,
): Map<number, { pids: number[]; cpuSecs: number; rssBytes: number }> {
  const out = new Map<number, { pids: number[]; cpuSecs: number; rssBytes: number }>();
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    const [pid, pgid, rss] = [Number(f[0]), Number(f[1]), Number(f[3])];
    if (!Number.isInteger(pid) || !Number.isInteger(pgid)) continue;
    const g = out.get(pgid) ?? { pids: [], cpuSecs: 0, rssBytes: 0 };
    g.pids.push(pid);
    g.cpuSecs += parseCpuTime(f[2]);
    g.rssBytes += (Number.isFinite(rss) ? rss : 0) * 1024;
    out.set(pgid, g);
  }
  return out;
}

/** `[[dd-]hh:]mm:ss[.cc]` (the `time` column of `ps`) in seconds. Pure. */
export function parseCpuTime(t: string): number {
  const [days, rest] = t.includes("-") ? t.split("-") : ["0", t];
  const parts = rest.split(":").map(Number);
  let secs = 0;
  for (const p of parts) secs = secs * 60 + (Number.isFinite(p) ? p : 0);
  return Number(days) * 86400 + secs;
}

/** Parses `lsof -nP -iTCP -sTCP:LISTEN -Fpn`: listening ports per pid. Pure. */
export function parseLsofListen(text: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  let pid: number | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("p")) pid = Number(line.slice(1));
    else if (line.startsWith("n") && pid !== null) {
      const port = Number(line.slice(line.lastIndexOf(":") + 1));
      if (Number.isInteger(port) && port > 0) out.set(pid, [...(out.get(pid) ?? []), port]);
    }
  }
  return out;
}

function readSync(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null; // the process exited while we looked, or is not ours
  }
}

function socketInodes(pid: number, into: Set<number>): void {
  let fds: Deno.DirEntry[];
  try {
    fds = [...Deno.readDirSync(`/proc/${pid}/fd`)];
  } catch {
    return; // gone
  }
  for (const fd of fds) {
    let link: string;
    try {
      link = Deno.readLinkSync(`/proc/${pid}/fd/${fd.name}`);
    } catch {
      continue; // closed meanwhile
    }
    if (link.startsWith("socket:[")) into.add(Number(link.slice(8, -1)));
  }
}

/** How long the known groups of pids are trusted before a full rescan (ms). */
const GROUPS_TTL_MS = 10_000;

/**
 * The process group of each pid seen (a process's group rarely changes), so
 * a sample reads `stat` only for new pids and members of the asked groups;
 * rebuilt by a full scan when older than `GROUPS_TTL_MS` (a reused pid is
 * noticed by then at the latest).
 */
let known = { groupOf: new Map<number, number>(), at: -Infinity };

/** The live members of each asked group (and their CPU ticks), from one pass over `/proc`. */
function groupMembers(
  pgids: ReadonlySet<number>,
): Map<number, { pids: number[]; ticks: number; rssPages: number }> {
  const members = new Map<number, { pids: number[]; ticks: number; rssPages: number }>();
  const now = performance.now();
  const full = now - known.at > GROUPS_TTL_MS;
  const before = full ? new Map<number, number>() : known.groupOf;
  const groupOf = new Map<number, number>();
  for (const e of Deno.readDirSync("/proc")) {
    const c = e.name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const pid = Number(e.name);
    const was = before.get(pid);
    if (was !== undefined && !pgids.has(was)) {
      groupOf.set(pid, was);
      continue;
    }
    const st = parseStat(readSync(`/proc/${e.name}/stat`) ?? "");
    if (st) groupOf.set(pid, st.pgid);
    if (!st || st.state === "Z" || !pgids.has(st.pgid)) continue;
    const g = members.get(st.pgid) ?? { pids: [], ticks: 0, rssPages: 0 };
    g.pids.push(Number(e.name));
    g.ticks += st.cpuTicks;
    g.rssPages += st.rssPages;
    members.set(st.pgid, g);
  }
  known = { groupOf, at: full ? now : known.at };
  return members;
}

/**
 * CPU and memory from each member's `stat` (one read per process), listening
 * ports from `ListenOwners` (the listen table, plus fds only for sockets not
 * yet explained).
 */
function linuxSample(pgids: ReadonlySet<number>, fresh: boolean): Map<number, GroupSample> {
  const out = new Map<number, GroupSample>();
  const members = groupMembers(pgids);
  const ports = members.size
    ? owners.ports(new Set(members.keys()), (need) => socketsOf(members, need), fresh)
    : new Map();
  const page = pageSize();
  for (const [pgid, g] of members) {
    out.set(pgid, {
      cpuSecs: g.ticks / USER_HZ,
      rssBytes: g.rssPages * page,
      listening: ports.get(pgid) ?? [],
    });
  }
  return out;
}

async function darwinSample(pgids: ReadonlySet<number>): Promise<Map<number, GroupSample>> {
  const run = async (cmd: string, args: string[]) => {
    try {
      const o = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
      return new TextDecoder().decode(o.stdout);
    } catch {
      return ""; // not installed: nothing known
    }
  };
  const [ps, lsof] = await Promise.all([
    run("ps", ["-axo", "pid=,pgid=,time=,rss="]),
    run("lsof", ["-nP", "-iTCP", "-sTCP:LISTEN", "-Fpn"]),
  ]);
  const groups = parsePs(ps);
  const listen = parseLsofListen(lsof);
  const out = new Map<number, GroupSample>();
  for (const pgid of pgids) {
    const g = groups.get(pgid);
    if (!g) continue;
    const ports = new Set(g.pids.flatMap((p) => listen.get(p) ?? []));
    out.set(pgid, {
      cpuSecs: g.cpuSecs,
      rssBytes: g.rssBytes,
      listening: [...ports].sort((a, b) => a - b),
    });
  }
  return out;
}

/**
 * Samples the given process groups now; a group with no live member is
 * absent. `fresh` re-reads the listening table even when it is recent
 * (readiness probes want the news at once).
 */
export function sampleGroups(
  pgids: ReadonlySet<number>,
  fresh = false,
): Promise<Map<number, GroupSample>> {
  if (pgids.size === 0) return Promise.resolve(new Map());
  if (Deno.build.os === "linux") return Promise.resolve(linuxSample(pgids, fresh));
  if (Deno.build.os === "darwin") return darwinSample(pgids);
  return Promise.resolve(new Map());
}

/** The socket inodes the members of the `need`ed groups hold: inode -> pgid. */
function socketsOf(
  members: Map<number, { pids: number[] }>,
  need: ReadonlySet<number>,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const [pgid, g] of members) {
    if (!need.has(pgid)) continue;
    const inodes = new Set<number>();
    for (const pid of g.pids) socketInodes(pid, inodes);
    for (const i of inodes) out.set(i, pgid);
  }
  return out;
}

/** The socket inodes the members of each group hold: inode -> pgid. */
function groupSockets(pgids: ReadonlySet<number>): Map<number, number> {
  return socketsOf(groupMembers(pgids), pgids);
}

const owners = new ListenOwners(listenInodes, groupSockets);

/**
 * The TCP ports each group listens on, ascending (every asked group has an
 * entry). Cheaper than `sampleGroups` for many groups: on Linux the listen
 * table is read at most once a second, and the groups' fds only while a
 * listening socket is unexplained for them (`ListenOwners`).
 */
export async function listeningOf(pgids: ReadonlySet<number>): Promise<Map<number, number[]>> {
  if (Deno.build.os === "linux") return pgids.size ? owners.ports(pgids) : new Map();
  const out = new Map<number, number[]>();
  for (const g of pgids) out.set(g, []);
  for (const [g, s] of await sampleGroups(pgids)) out.set(g, s.listening);
  return out;
}
