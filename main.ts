/**
 * agent-procs entry point. `__daemon SESSION` (hidden) runs the session's
 * daemon; anything else is the CLI. This is the only place that calls
 * `Deno.exit`.
 */

if (Deno.args[0] === "__daemon") {
  const { runDaemon } = await import("./src/daemon/main.ts");
  let code = 1;
  try {
    code = await runDaemon(Deno.args[1] ?? "default");
  } catch (e) {
    const { reportDaemonCrash } = await import("./src/daemon/fatal_report.ts");
    reportDaemonCrash(Deno.args[1] ?? "default", e);
  }
  Deno.exit(code);
} else {
  const { cliMain } = await import("./src/cli/main.ts");
  Deno.exit(await cliMain(Deno.args));
}
