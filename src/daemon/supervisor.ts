/**
 * The supervisor: the single owner of every process record in the daemon.
 * Everything else (request handlers, timers, child exits, watchers, probes)
 * sends it events through `dispatch`, which applies the pure `transition`
 * and runs the resulting effects. Nothing here awaits: stopping is a state
 * plus a timer, so the daemon keeps serving while processes stop.
 */

import type { ProcessSpec } from "../model.ts";
import { type LogLine, LogWriter } from "../logs/writer.ts";
import { processLogDir, type SessionPaths } from "../paths.ts";
import { signalGroup, spawnChild } from "./child.ts";
import {
  type Effect,
  isLive,
  type LifeEvent,
  newRecord,
  type ProcRecord,
  transition,
} from "./lifecycle.ts";
import type { SavedState } from "./state_file.ts";
import { saveState } from "./state_file.ts";

/** Something that wants every line of a process while subscribed. */
export type LineListener = (name: string, lines: LogLine[]) => void;
/** Called after any record changed (name of the record). */
export type ChangeListener = (name: string, rec: ProcRecord | undefined) => void;

/** Hooks the daemon plugs in (proxy ports, watchers, readiness). */
export interface SupervisorPlugins {
  /** Called right after a new incarnation is running. */
  onSpawned?(rec: ProcRecord): void;
  /** Called when a record is removed or replaced. */
  onForget?(name: string): void;
}

/**
 * Log rotation settings from the daemon's environment:
 * `AGENT_PROCS_LOG_SEGMENT_BYTES` (default 50 MiB) and `AGENT_PROCS_LOG_KEEP` (default 5).
 */
export function logOptions(): { maxSegmentBytes?: number; keepSegments?: number } {
  const num = (k: string) => {
    const v = Number(Deno.env.get(k));
    return Number.isInteger(v) && v > 0 ? v : undefined;
  };
  return {
    maxSegmentBytes: num("AGENT_PROCS_LOG_SEGMENT_BYTES"),
    keepSegments: num("AGENT_PROCS_LOG_KEEP"),
  };
}

/** Owns records, children, log writers and timers. */
export class Supervisor {
  readonly #records = new Map<string, ProcRecord>();
  readonly #writers = new Map<string, LogWriter>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #lineListeners = new Set<{ name: string | null; fn: LineListener }>();
  readonly #changeListeners = new Set<ChangeListener>();
  readonly #activityListeners = new Set<(name: string) => void>();
  readonly #paths: SessionPaths;
  #nextId: number;
  #saveQueued = false;
  /** Extra state saved with the records. */
  proxyPort: number | null;
  /** Plugins set by the daemon. */
  plugins: SupervisorPlugins = {};

  constructor(paths: SessionPaths, saved: SavedState) {
    this.#paths = paths;
    this.#nextId = saved.nextId;
    this.proxyPort = saved.proxyPort;
    for (const r of saved.records) this.#records.set(r.spec.name, r);
  }

  /** All records in insertion order. */
  list(): ProcRecord[] {
    return [...this.#records.values()];
  }

  /** The record of a name, or undefined. */
  get(name: string): ProcRecord | undefined {
    return this.#records.get(name);
  }

  /** Finds a record by name or by its current id. */
  resolve(target: string): ProcRecord | undefined {
    const byName = this.#records.get(target);
    if (byName) return byName;
    for (const r of this.#records.values()) if (r.id === target) return r;
    return undefined;
  }

  /** True while any process is live (running, stopping or waiting to restart). */
  hasLive(): boolean {
    for (const r of this.#records.values()) if (isLive(r.phase)) return true;
    return false;
  }

  /** Adds (or replaces) a record for `spec` and starts it. The name must not be live. */
  start(spec: ProcessSpec): ProcRecord {
    const old = this.#records.get(spec.name);
    if (old && isLive(old.phase)) throw new Error(`${spec.name} is live`);
    this.#records.set(spec.name, newRecord(spec, old?.generation ?? 0));
    this.dispatch(spec.name, { type: "start" });
    return this.#records.get(spec.name)!;
  }

  /** Replaces the spec of a record that is not live (used by `up` for changed specs). */
  replaceSpec(spec: ProcessSpec): void {
    const old = this.#records.get(spec.name);
    if (old) this.#records.set(spec.name, { ...old, spec });
  }

  /** Subscribes to lines of one process (or all, with name null). Returns an unsubscribe. */
  onLines(name: string | null, fn: LineListener): () => void {
    const entry = { name, fn };
    this.#lineListeners.add(entry);
    this.#refreshInterest();
    return () => {
      this.#lineListeners.delete(entry);
      this.#refreshInterest();
    };
  }

  /** Subscribes to record changes. Returns an unsubscribe. */
  onChange(fn: ChangeListener): () => void {
    this.#changeListeners.add(fn);
    return () => this.#changeListeners.delete(fn);
  }

  /**
   * Subscribes to "new output" notices (one call per chunk written, without
   * decoding anything: cheap even while a process floods). Returns an unsubscribe.
   */
  onActivity(fn: (name: string) => void): () => void {
    this.#activityListeners.add(fn);
    return () => this.#activityListeners.delete(fn);
  }

  /** Sequence number the next line of `name` will get (0 when it has no log yet). */
  nextSeq(name: string): number {
    return this.#writers.get(name)?.nextSeq ?? 0;
  }

  /** Writes a supervisor annotation into a process's log. */
  annotate(name: string, text: string): void {
    const rec = this.#records.get(name);
    if (!rec) return;
    this.#writer(name).annotate(`[agent-procs] ${text}`, rec.generation);
    for (const fn of this.#activityListeners) fn(name);
  }

  /** Feeds an event to a record's state machine and runs the effects. */
  dispatch(name: string, ev: LifeEvent): void {
    const rec = this.#records.get(name);
    if (!rec) return;
    const step = transition(rec, ev, Date.now());
    if (step.record === rec && step.effects.length === 0) return;
    if (step.record.phase.kind === "gone") {
      this.#records.delete(name);
      this.#clearTimers(name);
      this.#writers.get(name)?.close();
      this.#writers.delete(name);
      this.plugins.onForget?.(name);
    } else {
      this.#records.set(name, step.record);
    }
    for (const eff of step.effects) this.#run(name, eff);
    this.#changed(name);
  }

  /** Tells change listeners that something about `name` changed outside its record (e.g. a watch error). */
  notify(name: string): void {
    this.#changed(name);
  }

  #changed(name: string): void {
    this.#scheduleSave();
    const rec = this.#records.get(name);
    for (const fn of [...this.#changeListeners]) fn(name, rec);
  }

  #run(name: string, eff: Effect): void {
    const rec = this.#records.get(name);
    switch (eff.kind) {
      case "annotate":
        this.annotate(name, eff.text);
        return;
      case "signal":
        signalGroup(eff.pid, eff.signal);
        return;
      case "timer": {
        const key = `${name}:${eff.timer}`;
        clearTimeout(this.#timers.get(key));
        const ev: LifeEvent = eff.timer === "kill"
          ? { type: "killTimer", generation: eff.generation }
          : { type: "restartTimer", generation: eff.generation };
        this.#timers.set(
          key,
          setTimeout(() => {
            this.#timers.delete(key);
            this.dispatch(name, ev);
          }, eff.ms),
        );
        return;
      }
      case "spawn":
        if (rec) this.#spawn(rec, eff.generation);
        return;
    }
  }

  #spawn(rec: ProcRecord, generation: number): void {
    const name = rec.spec.name;
    const writer = this.#writer(name);
    const id = `p${this.#nextId++}`;
    this.#records.set(name, { ...rec, id });
    const res = spawnChild(rec.spec, (fd, chunk) => {
      writer.write(fd, chunk, generation);
      if (this.#activityListeners.size) { for (const fn of this.#activityListeners) fn(name); }
    });
    if (!res.ok) {
      this.annotate(name, res.message);
      queueMicrotask(() =>
        this.dispatch(name, { type: "exited", generation, exit: { code: 127, signal: null } })
      );
      return;
    }
    const { pid, done } = res.child;
    this.dispatch(name, { type: "spawned", generation, pid });
    const cur = this.#records.get(name);
    if (cur) this.plugins.onSpawned?.(cur);
    done.then((exit) => {
      writer.endStream(0, generation);
      writer.endStream(1, generation);
      this.dispatch(name, { type: "exited", generation, exit });
    });
  }

  #writer(name: string): LogWriter {
    let w = this.#writers.get(name);
    if (!w) {
      w = LogWriter.open(processLogDir(this.#paths, name), logOptions());
      this.#writers.set(name, w);
      this.#setListener(name, w);
    }
    return w;
  }

  #setListener(name: string, w: LogWriter): void {
    const wanted = [...this.#lineListeners].some((l) => l.name === null || l.name === name);
    w.onLines = wanted
      ? (lines) => {
        for (const l of [...this.#lineListeners]) {
          if (l.name === null || l.name === name) l.fn(name, lines);
        }
      }
      : null;
  }

  #refreshInterest(): void {
    for (const [name, w] of this.#writers) this.#setListener(name, w);
    for (const name of this.#records.keys()) {
      if (!this.#writers.has(name) && [...this.#lineListeners].some((l) => l.name === name)) {
        this.#writer(name);
      }
    }
  }

  #clearTimers(name: string): void {
    for (const k of ["kill", "restart"]) {
      clearTimeout(this.#timers.get(`${name}:${k}`));
      this.#timers.delete(`${name}:${k}`);
    }
  }

  #scheduleSave(): void {
    if (this.#saveQueued) return;
    this.#saveQueued = true;
    queueMicrotask(() => {
      this.#saveQueued = false;
      this.saveNow();
    });
  }

  /** The state as saved to disk. */
  snapshot(): SavedState {
    return {
      version: 1,
      savedAt: Date.now(),
      daemonPid: Deno.pid,
      nextId: this.#nextId,
      proxyPort: this.proxyPort,
      records: this.list(),
    };
  }

  /** Saves the state file now. */
  saveNow(daemonPid: number | null = Deno.pid): void {
    try {
      saveState(this.#paths.stateFile, { ...this.snapshot(), daemonPid });
    } catch (e) {
      console.error(`cannot save state: ${(e as Error).message}`);
    }
  }

  /** Closes log writers and timers (daemon exit). */
  close(): void {
    for (const name of this.#records.keys()) this.#clearTimers(name);
    for (const w of this.#writers.values()) w.close();
    this.#writers.clear();
  }
}
