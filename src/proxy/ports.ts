/**
 * Port assignment: whether anything listens on a port (probed by binding the
 * IPv4 and IPv6 wildcard addresses, which any listener on the port blocks),
 * picking a free port for a process from a range, and the error for an
 * explicit port that another program already holds.
 */

/** Range the proxy gives ports from to processes that have none. */
export const APP_PORT_RANGE = { lo: 4000, hi: 4999 } as const;

/** Range the proxy itself listens in when no port is configured. */
export const PROXY_PORT_RANGE = { lo: 9090, hi: 9190 } as const;

/** Outcome of binding one address for a probe. */
type Probe = "free" | "busy" | "unavailable";

function probe(hostname: string, port: number): Probe {
  try {
    const l = Deno.listen({ hostname, port, transport: "tcp" });
    l.close();
    return "free";
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse || e instanceof Deno.errors.PermissionDenied) {
      return "busy";
    }
    // No IPv6 on this machine (or the address family is unsupported).
    return "unavailable";
  }
}

/**
 * True when nothing listens on `port` on any local address, IPv4 or IPv6.
 * (A listener on 127.0.0.1, 0.0.0.0, ::1 or :: makes the wildcard bind fail.)
 */
export function isPortFree(port: number): Promise<boolean> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return Promise.resolve(false);
  if (probe("0.0.0.0", port) !== "free") return Promise.resolve(false);
  return Promise.resolve(probe("::", port) !== "busy");
}

/**
 * The first port of `lo..hi` (inclusive) that is not in `taken` and that
 * nothing listens on, scanning from `first` (default: a random port of the
 * range, so sessions starting at once rarely pick the same port) and wrapping
 * around. Null when every port of the range is taken.
 */
export async function allocatePort(
  lo: number,
  hi: number,
  taken: ReadonlySet<number>,
  first: number = lo + Math.floor(Math.random() * (hi - lo + 1)),
): Promise<number | null> {
  const size = hi - lo + 1;
  if (size <= 0) return null;
  const start = first < lo || first > hi ? lo : first;
  for (let i = 0; i < size; i++) {
    const port = lo + ((start - lo + i) % size);
    if (taken.has(port)) continue;
    if (await isPortFree(port)) return port;
  }
  return null;
}

/**
 * Checks an explicitly requested port before its process starts: returns an
 * error message when it is out of range or something already listens on it,
 * else null. (The caller skips this for a port its own process holds, e.g.
 * when restarting it.)
 */
export async function explicitPortError(port: number): Promise<string | null> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return `invalid port ${port}: use a whole number from 1 to 65535`;
  }
  if (await isPortFree(port)) return null;
  return `port ${port} is already in use by another program; ` +
    "stop it or choose another port (leave the port out to get a free one)";
}
