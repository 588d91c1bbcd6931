/**
 * Modules loaded on demand, through computed specifiers. Deno reads the whole
 * module graph of every literal `import("./x.ts")` when a program starts (to
 * prepare the load), even when the call never runs: a literal import kept off
 * the hot path is still paid for by every CLI call and by the daemon. A computed
 * specifier is resolved only when the call runs. `deno compile` cannot see these
 * imports, so the release and `deno task compile` `--include` each of
 * `LAZY_MODULES` (scripts/release_plan.ts; a test keeps the lists equal).
 * Types stay exact: `typeof import()` in a type position loads nothing.
 */

/** The lazily loaded modules, by their path under `src/`. */
interface LazyModules {
  "ops/saved_state.ts": typeof import("./ops/saved_state.ts");
  "ops/wait.ts": typeof import("./ops/wait.ts");
  "ops/log_text.ts": typeof import("./ops/log_text.ts");
  "ops/ttl.ts": typeof import("./ops/ttl.ts");
  "ops/events.ts": typeof import("./ops/events.ts");
  "daemon/lifecycle.ts": typeof import("./daemon/lifecycle.ts");
  "proxy/server.ts": typeof import("./proxy/server.ts");
}

/** A module `lazy` can load. */
export type LazyModule = keyof LazyModules;

/** Every module `lazy` may load (what `deno compile` must `--include`). */
export const LAZY_MODULES: readonly LazyModule[] = [
  "ops/saved_state.ts",
  "ops/wait.ts",
  "ops/log_text.ts",
  "ops/ttl.ts",
  "ops/events.ts",
  "daemon/lifecycle.ts",
  "proxy/server.ts",
];

/** Loads `path` (under `src/`) now; its module graph is read only when this runs. */
export function lazy<K extends LazyModule>(path: K): Promise<LazyModules[K]> {
  return import(new URL(`./${path}`, import.meta.url).href);
}
