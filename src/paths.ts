/**
 * Every path agent-procs uses, derived from `AGENT_PROCS_HOME`, XDG variables
 * and the uid, plus the safety checks on the runtime directory (owned by us,
 * mode 0700, not a symlink) and session/process name validation.
 */

import { CliError } from "./errors.ts";

/** Longest socket path we create (the OS limit is about 104-108 bytes). */
const MAX_SOCKET_PATH = 100;

const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

/** Returns an error message when `name` is not a valid session or process name, else null. */
export function nameError(kind: "session" | "process", name: string): string | null {
  if (NAME_RE.test(name)) return null;
  return `invalid ${kind} name ${JSON.stringify(name)}: use 1-64 of A-Z a-z 0-9 . _ -, ` +
    "not starting with . or -";
}

/** Throws a usage error unless `name` is a valid session name. */
export function checkSessionName(name: string): string {
  const err = nameError("session", name);
  if (err) throw new CliError(err);
  return name;
}

/** The directories and files of one session. */
export interface SessionPaths {
  session: string;
  /** Per-user runtime directory (0700): sockets, locks, pid files. */
  runtimeDir: string;
  socket: string;
  /** Lock held by a CLI while it starts the daemon. */
  startLock: string;
  pidFile: string;
  /** Per-session state directory: state file, daemon log, process logs. */
  stateDir: string;
  stateFile: string;
  daemonLog: string;
  logsDir: string;
}

/** Base directories, before a session is chosen. */
export interface BaseDirs {
  runtimeRoot: string;
  stateRoot: string;
}

/** Computes the base directories from the environment. */
export function baseDirs(env: { get(key: string): string | undefined } = Deno.env): BaseDirs {
  const home = env.get("AGENT_PROCS_HOME");
  if (home) return { runtimeRoot: `${home}/run`, stateRoot: `${home}/state` };
  const uid = Deno.uid() ?? 0;
  const xdgRun = env.get("XDG_RUNTIME_DIR");
  const runtimeRoot = xdgRun ? `${xdgRun}/agent-procs` : `/tmp/agent-procs-${uid}`;
  const xdgState = env.get("XDG_STATE_HOME");
  const userHome = env.get("HOME") ?? "/tmp";
  const stateRoot = `${xdgState || `${userHome}/.local/state`}/agent-procs`;
  return { runtimeRoot, stateRoot };
}

/** A short stable hash (FNV-1a, 32 bits, hex) used to shorten socket names. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** Paths of one session (pure: creates nothing). */
export function sessionPaths(session: string, base: BaseDirs = baseDirs()): SessionPaths {
  const runtimeDir = base.runtimeRoot;
  let socket = `${runtimeDir}/${session}.sock`;
  if (new TextEncoder().encode(socket).length > MAX_SOCKET_PATH) {
    socket = `${runtimeDir}/s-${shortHash(session)}.sock`;
  }
  if (new TextEncoder().encode(socket).length > MAX_SOCKET_PATH) {
    const uid = Deno.uid() ?? 0;
    socket = `/tmp/agent-procs-${uid}/h-${shortHash(runtimeDir + "\0" + session)}.sock`;
  }
  const stateDir = `${base.stateRoot}/sessions/${session}`;
  return {
    session,
    runtimeDir,
    socket,
    startLock: `${runtimeDir}/${session}.lock`,
    pidFile: `${runtimeDir}/${session}.pid`,
    stateDir,
    stateFile: `${stateDir}/state.json`,
    daemonLog: `${stateDir}/daemon.log`,
    logsDir: `${stateDir}/logs`,
  };
}

/** Directory holding one process's log files. */
export function processLogDir(paths: SessionPaths, name: string): string {
  return `${paths.logsDir}/${name}`;
}

/**
 * Creates (if needed) and checks a private directory: it must be a real
 * directory (not a symlink), owned by the current user, with mode 0700.
 */
export function ensurePrivateDir(dir: string): void {
  try {
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) {
      throw new CliError(`cannot create directory ${dir}: ${(e as Error).message}`);
    }
  }
  const st = Deno.lstatSync(dir);
  if (st.isSymlink) throw new CliError(`refusing to use ${dir}: it is a symlink`);
  if (!st.isDirectory) throw new CliError(`refusing to use ${dir}: not a directory`);
  const uid = Deno.uid();
  if (uid !== null && st.uid !== uid) {
    throw new CliError(`refusing to use ${dir}: owned by uid ${st.uid}, not ${uid}`);
  }
  if (st.mode !== null && (st.mode & 0o077) !== 0) {
    throw new CliError(
      `refusing to use ${dir}: mode ${(st.mode & 0o777).toString(8)} is open to others`,
      { hint: `chmod 700 ${dir}` },
    );
  }
}

/** Creates the runtime and state directories of a session, checking permissions. */
export function prepareSessionDirs(p: SessionPaths): void {
  ensurePrivateDir(p.runtimeDir);
  const sockDir = p.socket.slice(0, p.socket.lastIndexOf("/"));
  if (sockDir !== p.runtimeDir) ensurePrivateDir(sockDir);
  Deno.mkdirSync(p.logsDir, { recursive: true, mode: 0o700 });
}
