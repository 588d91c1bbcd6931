/**
 * `port N`: who listens on or leases TCP port N, across every session of the
 * user and programs agent-procs did not start. The listener comes from the
 * OS (`src/ports/holder.ts`), the lease from the user's registry
 * (`src/ports/leases.ts`), and a listener that agent-procs started but no
 * longer leases is named by the marker in its environment. Needs no daemon.
 */

import { CliError } from "../errors.ts";
import type { OpContext } from "./context.ts";
import { type PortHolder, portHolder } from "../ports/holder.ts";
import { readLeases } from "../ports/leases.ts";
import { markerOf } from "../ports/marker.ts";

/** Input of `port`. */
export interface PortInput {
  port: number;
}

/** An agent-procs process tied to the port (by lease or by the marker of the listener). */
export interface PortOwner {
  session: string;
  name: string;
  /** Its pid (group leader), when known. */
  pid: number | null;
  /** `lease`: it holds the port's lease; `marker`: it listens and was started by agent-procs. */
  via: "lease" | "marker";
}

/** Result of `port`. */
export interface PortResult {
  port: number;
  /** Nobody listens and nobody leases it. */
  free: boolean;
  /** The process listening on it, or null. */
  listener: PortHolder | null;
  /** The agent-procs process it belongs to, or null. */
  owner: PortOwner | null;
}

/** Checks that `text` is a TCP port (1-65535). */
export function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new CliError(`invalid port ${JSON.stringify(text)}: use a whole number from 1 to 65535`);
  }
  return n;
}

/** Who listens on or leases `input.port`. */
export async function port(input: PortInput, ctx: OpContext): Promise<PortResult> {
  if (Deno.build.os !== "linux" && Deno.build.os !== "darwin") {
    throw new CliError(
      `cannot tell who listens on a port on ${Deno.build.os}: needs /proc (Linux) or lsof (macOS)`,
    );
  }
  const [listener, leases] = await Promise.all([
    portHolder(input.port),
    readLeases(ctx.paths.runtimeDir),
  ]);
  const lease = leases.find((l) => l.port === input.port);
  let owner: PortOwner | null = lease
    ? { session: lease.session, name: lease.name, pid: lease.pid, via: "lease" }
    : null;
  if (!owner && listener) {
    const m = markerOf(listener.pid) ??
      (listener.pgid !== null ? markerOf(listener.pgid) : null);
    if (m) owner = { ...m, pid: listener.pgid ?? listener.pid, via: "marker" };
  }
  return { port: input.port, free: !listener && !owner, listener, owner };
}
