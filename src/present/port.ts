/** The text of `port N` (CLI and MCP alike). Pure. */

import type { PortResult } from "../ops/port.ts";

/**
 * `3000: pid 4242 (node server.js), process web of session feat-x`,
 * `3000: leased by process web of session feat-x (pid 4242), not listening`,
 * or `3000: free`.
 */
export function portText(r: PortResult): string {
  if (r.free) return `${r.port}: free`;
  const owner = r.owner ? `process ${r.owner.name} of session ${r.owner.session}` : null;
  if (!r.listener) {
    const pid = r.owner?.pid != null ? ` (pid ${r.owner.pid})` : "";
    return `${r.port}: leased by ${owner}${pid}, not listening`;
  }
  const who = `${r.port}: pid ${r.listener.pid} (${r.listener.command})`;
  return owner ? `${who}, ${owner}` : who;
}
