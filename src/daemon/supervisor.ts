/**
 * The supervisor: the single owner of every process record in the daemon and
 * of the session's own facts (proxy port, watcher and capture problems, a
 * failing state save). Everything else (request handlers, timers, child
 * exits, watchers, probes) sends it events through `dispatch`, which applies
 * the pure `transition` and runs the resulting effects, or calls one of the
 * named methods that own a session fact. Nothing here awaits: stopping is a
 * state plus a timer, so the daemon keeps serving while processes stop.
 * Clock, spawner, signaller, log opener and daemon log are parameters
 * (`deps.ts`), so all of this runs in-process in tests.
 */

import type { ProcessInfo, ProcessSpec } from "../model.ts";
import type { LogLine } from "../logs/writer.ts";
import type { BrowserLine } from "../proxy/browser_line.ts";
import type { SessionPaths } from "../paths.ts";
import {
  type Clock,
  incarnationTail,
  type SupervisorDeps,
  supervisorDeps,
  type TimerId,
} from "./deps.ts";
import { toInfo } from "./info.ts";
import {
  type Effect,
  isLive,
  type LifeEvent,
  newRecord,
  type ProcRecord,
  type StartCause,
  transition,
} from "./lifecycle.ts";
import { EventRecorder } from "./event_recorder.ts";
import { portHolder } from "../ports/holder.ts";
import { groupOwner, handleFailure } from "./failures.ts";
import { lifecycleEvents } from "./events_of.ts";
import { type LineListener, ProcessLogs } from "./process_logs.ts";
import type { SavedState } from "./state_file.ts";
import { StateSaver } from "./state_saver.ts";
import { ProcessInput } from "./input.ts";
import {
  type LineWaitOptions,
  type Until,
  untilLineOf,
  type UntilOptions,
  untilState,
} from "./until.ts";

/** Re-exported: what `onLines` listeners look like. */
export type { LineListener } from "./process_logs.ts";
/** Called after any record changed (name of the record; undefined once forgotten). */
export type ChangeListener = (name: string, rec: ProcRecord | undefined) => void;

export { SAVE_GAP_MS } from "./state_saver.ts";

/** Owns records, children, logs, timers and the session's facts. */
export class Supervisor {
  /** The clock everything in this daemon measures time with. */
  readonly clock: Clock;
  readonly #deps: SupervisorDeps;
  readonly #paths: SessionPaths;
  readonly #records = new Map<string, ProcRecord>();
  readonly #timers = new Map<string, TimerId>();
  readonly #changeListeners = new Set<ChangeListener>();
  readonly #spawnListeners = new Set<(rec: ProcRecord) => void>();
  readonly #forgetListeners = new Set<(name: string) => void>();
  readonly #logs: ProcessLogs;
  readonly #watchErrors = new Map<string, string>();
  /** Stdin pipes (`send`) and prompt watching (`awaiting_input`) of every process. */
  readonly input: ProcessInput;
  #nextId: number;
  #proxyPort: number | null;
  readonly #saver: StateSaver;
  readonly #events: EventRecorder;
  readonly #readTail: (name: string, generation: number, n: number) => string[];
  readonly #findHolder: NonNullable<SupervisorDeps["findHolder"]>;

  constructor(paths: SessionPaths, saved: SavedState, deps: Partial<SupervisorDeps> = {}) {
    this.#deps = supervisorDeps(deps);
    this.clock = this.#deps.clock;
    this.#paths = paths;
    this.#nextId = saved.nextId;
    this.#proxyPort = saved.proxyPort;
    for (const r of saved.records) this.#records.set(r.spec.name, r);
    this.#saver = new StateSaver(paths.stateFile, () => this.snapshot(), this.#deps.log);
    this.#readTail = this.#deps.readTail ?? incarnationTail(paths);
    this.#findHolder = this.#deps.findHolder ?? portHolder;
    this.#events = new EventRecorder(paths, this.#deps.events, this.clock, this.#deps.log);
    this.input = new ProcessInput(this.clock, (name, awaiting) => {
      const rec = this.#records.get(name);
      const details = { prompt: awaiting?.prompt ?? null };
      if (rec && awaiting) this.#events.record([{ rec, type: "awaiting-input", details }]);
      this.#changed(name);
    });
    this.#logs = new ProcessLogs(paths, this.#deps.openLog, this.clock, (name, problem) => {
      this.#deps.log(
        problem ? `logs of ${name}: ${problem}` : `logs of ${name}: capture works again`,
      );
      this.#changed(name);
    });
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

  /**
   * Adds (or replaces) a record for `spec` and starts it; the name must not be
   * live. The spawn happens before this returns: a spawn failure shows in the
   * returned record (`spawnError`, and the phase the restart policy chose).
   */
  start(spec: ProcessSpec, cause: StartCause = "run"): ProcRecord {
    const old = this.#records.get(spec.name);
    if (old && isLive(old.phase)) throw new Error(`${spec.name} is live`);
    this.#records.set(spec.name, newRecord(spec, old?.generation ?? 0));
    this.dispatch(spec.name, { type: "start", cause });
    return this.#records.get(spec.name)!;
  }

  /** Feeds an event to a record's state machine and runs the effects. */
  dispatch(name: string, ev: LifeEvent): void {
    const rec = this.#records.get(name);
    if (!rec) return;
    const step = transition(rec, ev, this.clock.now());
    if (step.record === rec && step.effects.length === 0) return;
    if (step.record.phase.kind === "gone") {
      this.#records.delete(name);
      this.#clearTimers(name);
      this.#logs.forget(name);
      this.#watchErrors.delete(name);
      this.input.forget(name);
      for (const fn of [...this.#forgetListeners]) fn(name);
    } else {
      this.#records.set(name, step.record);
    }
    for (const eff of step.effects) this.#run(name, eff);
    this.#events.record(lifecycleEvents(rec, this.#records.get(name) ?? step.record, ev));
    this.#events.flush();
    this.#changed(name);
  }

  /** The `failed` effect: see `failures.ts`. */
  #onFailed(name: string, eff: Extract<Effect, { type: "failed" }>): void {
    handleFailure(
      {
        get: (n) => this.#records.get(n),
        dispatch: (n, ev) => this.dispatch(n, ev),
        annotate: (n, text) => this.annotate(n, text),
        events: this.#events,
        readTail: this.#readTail,
        findHolder: this.#findHolder,
        ownerOf: (pgid) => groupOwner(this.#records.values(), this.#paths.session, pgid),
        log: this.#deps.log,
      },
      name,
      eff,
    );
  }

  /**
   * Resolves with the first value `check` gives (it runs now and after every
   * change), or with `timeout`/`aborted`. See `until.ts`.
   */
  until<T>(check: () => T | undefined, opts: UntilOptions = {}): Promise<Until<T>> {
    return untilState(this, this.clock, check, opts);
  }

  /**
   * Resolves with the first value `match` gives for a line of `name` (each
   * line once, in sequence order: `backlog()` first, then live lines), or the
   * first value `state` gives, or `timeout`/`aborted`. See `until.ts`.
   */
  untilLine<T>(
    name: string,
    match: (line: LogLine) => T | undefined,
    opts: LineWaitOptions<T> = {},
  ): Promise<Until<T>> {
    return untilLineOf(this, this.clock, name, match, opts);
  }

  /** Subscribes to lines of one process (or all, with name null). Returns an unsubscribe. */
  onLines(name: string | null, fn: LineListener): () => void {
    return this.#logs.onLines(name, fn);
  }

  /** Subscribes to record changes. Returns an unsubscribe. */
  onChange(fn: ChangeListener): () => void {
    this.#changeListeners.add(fn);
    return () => this.#changeListeners.delete(fn);
  }

  /** Subscribes to new incarnations (called right after each successful spawn). */
  onSpawned(fn: (rec: ProcRecord) => void): () => void {
    this.#spawnListeners.add(fn);
    return () => this.#spawnListeners.delete(fn);
  }

  /** Subscribes to records being forgotten. */
  onForget(fn: (name: string) => void): () => void {
    this.#forgetListeners.add(fn);
    return () => this.#forgetListeners.delete(fn);
  }

  /** Subscribes to "new output" notices (one call per chunk written, nothing decoded). */
  onActivity(fn: (name: string) => void): () => void {
    return this.#logs.onActivity(fn);
  }

  /** Sequence number the next line of `name` will get (0 when it has no log yet). */
  nextSeq(name: string): number {
    return this.#logs.nextSeq(name);
  }

  /** Writes a supervisor annotation into a process's log. */
  annotate(name: string, text: string): void {
    const rec = this.#records.get(name);
    if (rec) this.#logs.annotate(name, `[agent-procs] ${text}`, rec.generation);
  }

  /**
   * Stores the console entries a page of `name` sent through the proxy (stream
   * `browser`, current incarnation) and records one `browser-error` event per
   * batch that has errors.
   */
  browserLines(name: string, lines: BrowserLine[]): void {
    const rec = this.#records.get(name);
    if (!rec || !lines.length) return;
    this.#logs.browser(name, lines.map((l) => l.text), rec.generation);
    const errors = lines.filter((l) => l.level === "error");
    if (!errors.length) return;
    const message = errors[0].text.replace(/^\[browser\] error /, "");
    this.#events.record([{
      rec,
      type: "browser-error",
      details: { message, count: errors.length },
    }]);
  }

  /** Port of the session's proxy (kept across daemons so URLs stay the same), or null. */
  get proxyPort(): number | null {
    return this.#proxyPort;
  }

  /** Records the port the session's proxy listens on, and saves it. */
  setProxyPort(port: number): void {
    if (port === this.#proxyPort) return;
    this.#proxyPort = port;
    this.saveNow();
  }

  /** Records (or clears, with null) the problem of a process's file watcher. */
  setWatchError(name: string, message: string | null): void {
    if (!this.#records.has(name) || (this.#watchErrors.get(name) ?? null) === message) return;
    if (message === null) this.#watchErrors.delete(name);
    else this.#watchErrors.set(name, message);
    this.#changed(name);
  }

  /** The status row of a record. */
  info(rec: ProcRecord): ProcessInfo {
    const name = rec.spec.name;
    return toInfo(rec, this.#proxyPort, this.clock.now(), {
      watchError: this.#watchErrors.get(name) ?? null,
      logError: this.#logs.problem(name),
      awaitingInput: this.input.awaiting(name),
    });
  }

  /** Status rows of every record. */
  infos(): ProcessInfo[] {
    return this.list().map((r) => this.info(r));
  }

  /** Problems the session has now, one line each (the hello reply lists them). */
  warnings(): string[] {
    const error = this.#saver.error;
    const out = error === null ? [] : [`cannot save state: ${error}`];
    for (const [name, problem] of this.#logs.problems()) out.push(`logs of ${name}: ${problem}`);
    return out;
  }

  #changed(name: string): void {
    this.#saver.schedule();
    const rec = this.#records.get(name);
    for (const fn of [...this.#changeListeners]) fn(name, rec);
  }

  #run(name: string, eff: Effect): void {
    switch (eff.type) {
      case "annotate":
        return this.annotate(name, eff.text);
      case "signal":
        this.#deps.signal(eff.pid, eff.signal);
        return;
      case "timer": {
        const key = `${name}:${eff.timer}`;
        this.clock.clearTimeout(this.#timers.get(key));
        const ev: LifeEvent = eff.timer === "kill"
          ? { type: "killTimer", generation: eff.generation }
          : { type: "restartTimer", generation: eff.generation };
        const id = this.clock.setTimeout(() => {
          this.#timers.delete(key);
          this.dispatch(name, ev);
        }, eff.ms);
        this.#timers.set(key, id);
        return;
      }
      case "spawn":
        return this.#spawn(name, eff.generation);
      case "failed":
        return this.#onFailed(name, eff);
    }
  }

  /** Spawns incarnation `generation`; its id is assigned through the `spawned`/`spawnFailed` event. */
  #spawn(name: string, generation: number): void {
    const rec = this.#records.get(name);
    if (!rec) return;
    const id = `p${this.#nextId++}`;
    const capture = this.#logs.capture(name, generation);
    const res = this.#deps.spawn(rec.spec, (fd, chunk) => {
      capture.write(fd, chunk);
      this.input.output(name, generation, fd, chunk);
    });
    if (!res.ok) {
      return this.dispatch(name, { type: "spawnFailed", generation, id, message: res.message });
    }
    const { pid, done, stdin } = res.child;
    this.input.spawned(name, generation, stdin);
    this.dispatch(name, { type: "spawned", generation, pid, id });
    const cur = this.#records.get(name);
    if (cur?.generation === generation) { for (const fn of [...this.#spawnListeners]) fn(cur); }
    done.then((exit) => {
      this.input.exited(name, generation);
      capture.end();
      this.dispatch(name, { type: "exited", generation, exit });
    });
  }

  #clearTimers(name: string): void {
    for (const k of ["kill", "restart"]) {
      this.clock.clearTimeout(this.#timers.get(`${name}:${k}`));
      this.#timers.delete(`${name}:${k}`);
    }
  }

  /** The state as saved to disk. */
  snapshot(): SavedState {
    return {
      version: 1,
      savedAt: this.clock.now(),
      daemonPid: Deno.pid,
      nextId: this.#nextId,
      proxyPort: this.#proxyPort,
      records: this.list(),
    };
  }

  /** Saves the state file now; a failure goes to the daemon log and to `warnings()` until a save works. */
  saveNow(daemonPid: number | null = Deno.pid): void {
    this.#saver.saveNow(daemonPid);
  }

  /** Closes logs and timers (daemon exit); no save happens afterwards (the last one was explicit). */
  close(): void {
    this.#saver.close();
    for (const name of this.#records.keys()) this.#clearTimers(name);
    this.input.close();
    this.#logs.close();
    this.#events.close();
  }
}
