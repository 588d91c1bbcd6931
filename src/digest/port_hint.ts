/**
 * Recognising "address in use" failures in output, for the digest's port
 * hint: the port the failed process wanted, from the messages that Node,
 * Python, Go, Deno, Docker and dev servers print. Pure.
 */

const PATTERNS: RegExp[] = [
  /EADDRINUSE\b.*?(?:[:\s](\d{1,5}))\s*$/,
  /address already in use.*?:(\d{1,5})\b/i,
  /port is already allocated.*?[:\s](\d{1,5})\b/i,
  /Bind for [\d.:\[\]a-f]*:(\d{1,5}) failed: port is already allocated/i,
  /\bPort (\d{1,5}) is (?:already )?in use\b/i,
  // Anything else (Go's `listen tcp 127.0.0.1:8080: bind: ...`): the line's last `:PORT`.
  /:(\d{1,5})\b(?!.*:\d)/,
];

const IN_USE =
  /EADDRINUSE|address already in use|port is already allocated|Port \d+ is (?:already )?in use/i;

/** What the output says about a port in use: null when it says nothing. */
export interface PortInUse {
  /** The port named in the message, or null when it names none (Python's `OSError`). */
  port: number | null;
}

/** Finds an "address in use" message in `lines` (last one wins); `fallback` when it names no port. */
export function portInUse(lines: readonly string[], fallback: number | null): PortInUse | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (!IN_USE.test(line)) continue;
    for (const re of PATTERNS) {
      const m = line.match(re);
      const port = m ? Number(m[1]) : NaN;
      if (port >= 1 && port <= 65535) return { port };
    }
    return { port: fallback };
  }
  return null;
}
