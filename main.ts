/**
 * agent-procs entry point. `__daemon SESSION` (hidden) runs the session's
 * daemon; anything else is the CLI. This is the only place that calls
 * `Deno.exit`.
 *
 * The two sides are imported through computed specifiers: Deno walks the module
 * graph of every literal `import()` when a program starts, so a literal one made
 * each CLI call read the daemon's ~80 modules and the daemon the CLI's. `deno
 * compile` bundles them through `--include` (`COMPILE_INCLUDES` in
 * scripts/release_plan.ts).
 */

/** Imports a module of this program by its path relative to this file. */
function load<T>(path: string): Promise<T> {
  return import(new URL(path, import.meta.url).href);
}

if (Deno.args[0] === "__daemon") {
  const { runDaemon } = await load<typeof import("./src/daemon/main.ts")>(
    "./src/daemon/main.ts",
  );
  let code = 1;
  try {
    code = await runDaemon(Deno.args[1] ?? "default");
  } catch (e) {
    const { reportDaemonCrash } = await load<typeof import("./src/daemon/fatal_report.ts")>(
      "./src/daemon/fatal_report.ts",
    );
    reportDaemonCrash(Deno.args[1] ?? "default", e);
  }
  Deno.exit(code);
} else {
  const { cliMain } = await load<typeof import("./src/cli/main.ts")>("./src/cli/main.ts");
  Deno.exit(await cliMain(Deno.args));
}
