/**
 * Readiness checks, started at every spawn of a process that has one: a log
 * pattern (matched against each new line of the incarnation), or an HTTP, TCP,
 * listen (the group listens on its PORT, or on any port) or command probe retried with a growing pause until `ready_timeout`. Success
 * is a `ready` event for that generation; a newer generation cancels the check.
 */

import type { ReadyCheck } from "../model.ts";
import { compilePattern } from "../logs/pattern.ts";
import { hasProcessGroup, isUp, type ProcRecord } from "./lifecycle.ts";
import { sampleGroups } from "../ports/resources.ts";
import type { Supervisor } from "./supervisor.ts";

async function probeOnce(check: ReadyCheck, rec: ProcRecord): Promise<boolean> {
  try {
    switch (check.kind) {
      case "http": {
        const res = await fetch(check.url, {
          redirect: "manual",
          signal: AbortSignal.timeout(2000),
        });
        await res.body?.cancel();
        return res.status >= 200 && res.status < 400;
      }
      case "tcp": {
        const conn = await Deno.connect({ hostname: check.host, port: check.port });
        conn.close();
        return true;
      }
      case "cmd": {
        const out = await new Deno.Command("sh", {
          args: ["-c", check.cmd],
          cwd: rec.spec.cwd,
          env: rec.spec.env,
          clearEnv: true,
          stdin: "null",
          stdout: "null",
          stderr: "null",
          signal: AbortSignal.timeout(10_000),
        }).output();
        return out.success;
      }
      case "listen": {
        if (!hasProcessGroup(rec.phase)) return false;
        const pgid = rec.phase.pid;
        const s = (await sampleGroups(new Set([pgid]), true)).get(pgid);
        if (!s) return false;
        return rec.spec.port !== null
          ? s.listening.includes(rec.spec.port)
          : s.listening.length > 0;
      }
      case "log":
        return false;
    }
  } catch {
    // Refused, reset, timed out, no such command: each just means "not ready yet".
    return false;
  }
}

/** Starts the readiness check of the incarnation `rec.generation`. */
export function startReadiness(sup: Supervisor, rec: ProcRecord): void {
  const check = rec.spec.ready;
  if (!check) return;
  const name = rec.spec.name;
  const gen = rec.generation;
  const current = () => {
    const r = sup.get(name);
    return !!r && r.generation === gen && isUp(r.phase);
  };
  // Not ready in time: a failure of its own (the process keeps running; `up` reports it).
  sup.clock.setTimeout(() => {
    if (current()) sup.dispatch(name, { type: "readyTimeout", generation: gen });
  }, rec.spec.readyTimeoutMs);
  if (check.kind === "log") {
    const c = compilePattern(check.pattern, { regex: check.regex });
    if (!c.ok) return sup.annotate(name, `Ready check: ${c.error}`);
    const m = c.matcher;
    void sup.untilLine(
      name,
      (l) => !l.annotation && l.generation === gen && m.test(l.text) ? true : undefined,
      { state: () => current() ? undefined : false },
    ).then((u) => {
      if (u.ok && u.value) sup.dispatch(name, { type: "ready", generation: gen });
    });
    return;
  }
  const { clock } = sup;
  const deadline = clock.now() + rec.spec.readyTimeoutMs;
  let pause = 50;
  const attempt = async () => {
    if (!current()) return;
    if (await probeOnce(check, rec)) {
      if (current()) sup.dispatch(name, { type: "ready", generation: gen });
      return;
    }
    if (clock.now() >= deadline || !current()) return;
    pause = Math.min(pause * 2, 500);
    clock.setTimeout(attempt, pause);
  };
  clock.setTimeout(attempt, 0);
}
