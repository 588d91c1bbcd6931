/**
 * The watch engine that runs inside the watcher's Worker: compiles the globs,
 * opens `Deno.watchFs` on the planned directories, and turns raw events into
 * one debounced `changed` message per burst. Its loop does nothing else, so
 * the 16-slot event queue of `Deno.watchFs` is drained even while the
 * daemon's main thread is busy. Every event kind counts as "something changed"
 * (the OS merges and drops events); only its paths are filtered.
 */

import { dirname, relative } from "node:path";
import { makeMatcher, type Matcher, type WatchRoot } from "./matcher.ts";
import { isWithin, type PlanInput, planWatch, type WatchPlan } from "./plan.ts";
import { isDir, listDirs, scanDir, scanModifiedSince } from "./tree.ts";
import { Debouncer } from "./debounce.ts";
import type { EngineMessage, WatchOptions } from "./types.ts";

/** A running engine. */
export interface Engine {
  /** Stops watching and drops any pending burst. Idempotent. */
  close(): void;
}

/** Existing directories to watch for the matcher's roots, and a message per missing one. */
export function resolveRoots(
  cwd: string,
  roots: WatchRoot[],
): { inputs: PlanInput[]; problems: string[] } {
  const inputs: PlanInput[] = [];
  const problems: string[] = [];
  const show = (p: string) => relative(cwd, p) || ".";
  const statDir = (p: string): boolean => {
    try {
      return Deno.statSync(p).isDirectory;
    } catch {
      return false;
    }
  };
  for (const r of roots) {
    if (r.kind === "dir") {
      if (statDir(r.path)) inputs.push({ path: r.path, recursive: r.recursive });
      else {problems.push(
          `base directory "${show(r.path)}" of watch glob "${r.glob}" does not exist`,
        );}
    } else if (statDir(r.path)) {
      inputs.push({ path: r.path, recursive: true });
    } else if (statDir(dirname(r.path))) {
      inputs.push({ path: dirname(r.path), recursive: false });
    } else {
      problems.push(`neither "${r.glob}" nor its directory exists`);
    }
  }
  return { inputs, problems };
}

/** A user-facing message for a failed `Deno.watchFs` call. */
export function watchFailure(err: unknown, dirs: number): string {
  const msg = (err instanceof Error ? err.message : String(err)).trim();
  if (/limit|ENOSPC|no space left|too many/i.test(msg)) {
    return `OS file watch limit reached (${msg}); raise fs.inotify.max_user_watches ` +
      `(and max_user_instances) or narrow the watch globs`;
  }
  return `cannot watch ${dirs} director${dirs === 1 ? "y" : "ies"}: ${msg}`;
}

/** Event kinds that never announce a new directory. */
const NOT_NEW: ReadonlySet<Deno.FsEvent["kind"]> = new Set(["remove", "modify", "access"]);

/** How long to gather new top-level directories before re-planning, in ms. */
const REPLAN_DELAY_MS = 30;

class Session implements Engine {
  #watchers: Deno.FsWatcher[] = [];
  #plan: WatchPlan = { recursive: [], flat: [], expand: [] };
  #expand = new Set<string>();
  #closed = false;
  #replanTimer: ReturnType<typeof setTimeout> | undefined;
  #newDirs = new Set<string>();
  readonly #m: Matcher;
  readonly #inputs: PlanInput[];
  readonly #post: (m: EngineMessage) => void;
  readonly #debouncer: Debouncer;

  constructor(
    m: Matcher,
    inputs: PlanInput[],
    debounceMs: number,
    post: (m: EngineMessage) => void,
  ) {
    this.#m = m;
    this.#inputs = inputs;
    this.#post = post;
    this.#debouncer = new Debouncer(debounceMs, (path, count) => {
      if (!this.#closed) post({ kind: "changed", path, count });
    });
  }

  /** Plans and opens new watchers, then closes the old ones (no gap). Returns dirs or an error. */
  open(): { ok: true; dirs: number } | { ok: false; error: string } {
    const plan = planWatch(this.#inputs, listDirs, this.#m.isIgnored);
    const dirs = plan.recursive.length + plan.flat.length;
    const opened: Deno.FsWatcher[] = [];
    try {
      if (plan.recursive.length > 0) {
        opened.push(Deno.watchFs(plan.recursive, { recursive: true }));
      }
      if (plan.flat.length > 0) opened.push(Deno.watchFs(plan.flat, { recursive: false }));
    } catch (e) {
      opened.forEach(closeQuietly);
      return { ok: false, error: watchFailure(e, dirs) };
    }
    const old = this.#watchers;
    this.#watchers = opened;
    this.#plan = plan;
    this.#expand = new Set(plan.expand);
    for (const w of opened) this.#pump(w);
    old.forEach(closeQuietly);
    return { ok: true, dirs };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#debouncer.cancel();
    if (this.#replanTimer !== undefined) clearTimeout(this.#replanTimer);
    this.#watchers.forEach(closeQuietly);
    this.#watchers = [];
  }

  async #pump(w: Deno.FsWatcher): Promise<void> {
    try {
      for await (const ev of w) {
        if (this.#closed) return;
        this.#onEvent(ev);
      }
    } catch (e) {
      if (!this.#closed && this.#watchers.includes(w)) {
        this.#post({ kind: "error", message: `file watching stopped: ${String(e)}` });
      }
    }
  }

  #onEvent(ev: Deno.FsEvent): void {
    for (const path of ev.paths) {
      if (!NOT_NEW.has(ev.kind) && !this.#m.isIgnored(path) && isDir(path)) this.#onNewDir(path);
      const rel = this.#m.match(path);
      if (rel !== null) this.#debouncer.hit(rel);
    }
  }

  /** A directory appeared: watch it if it sits in a pruned tree, and count files made before. */
  #onNewDir(path: string): void {
    if (this.#expand.has(dirname(path))) {
      this.#newDirs.add(path);
      this.#replanTimer ??= setTimeout(() => this.#replan(), REPLAN_DELAY_MS);
    } else if (this.#plan.recursive.some((r) => isWithin(path, r))) {
      this.#scan(path);
    }
  }

  #replan(): void {
    this.#replanTimer = undefined;
    if (this.#closed) return;
    const r = this.open();
    if (!r.ok) this.#post({ kind: "error", message: r.error });
    for (const dir of this.#newDirs) this.#scan(dir);
    this.#newDirs.clear();
  }

  #scan(dir: string): void {
    const found = scanDir(dir, this.#m.match, this.#m.isIgnored);
    if (found.first !== null) this.#debouncer.hit(found.first, found.count);
  }

  /** Reports files changed since `sinceMs` under the watched roots (made before the watch was up). */
  catchUp(sinceMs: number): void {
    if (sinceMs <= 0) return;
    for (const input of this.#inputs) {
      const found = input.recursive
        ? scanModifiedSince(input.path, this.#m.match, this.#m.isIgnored, sinceMs)
        : scanModifiedSince(input.path, this.#m.match, isDir, sinceMs, 500);
      if (found.first !== null) this.#debouncer.hit(found.first, found.count);
    }
  }
}

function closeQuietly(w: Deno.FsWatcher): void {
  try {
    w.close();
  } catch {
    // already closed
  }
}

/**
 * Starts watching for `opts` and reports through `post`: every problem first
 * (as `error`), then `ready` once the initial watch is set up (or has failed),
 * then one `changed` per burst.
 */
export function startEngine(
  opts: Required<WatchOptions>,
  post: (m: EngineMessage) => void,
): Engine {
  const fail = (message: string): Engine => {
    post({ kind: "error", message });
    post({ kind: "ready", dirs: 0 });
    return { close() {} };
  };
  let cwd: string;
  try {
    cwd = Deno.realPathSync(opts.cwd);
  } catch {
    return fail(`cannot watch: working directory "${opts.cwd}" does not exist`);
  }
  const m = makeMatcher(cwd, opts.globs, opts.ignore);
  if (!m.ok) return fail(m.error);
  const { inputs, problems } = resolveRoots(cwd, m.roots);
  if (inputs.length === 0) return fail(problems.join("; "));
  if (problems.length > 0) post({ kind: "error", message: problems.join("; ") });
  const session = new Session(m, inputs, opts.debounceMs, post);
  const r = session.open();
  if (!r.ok) return fail(r.error);
  post({ kind: "ready", dirs: r.dirs });
  session.catchUp(opts.sinceMs);
  return session;
}
