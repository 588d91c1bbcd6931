/**
 * How this program re-invokes itself (to start its daemon) and how it names
 * its mode. Works both as `deno run main.ts` (script) and as a `deno compile`
 * binary; the decision is a pure function of the runtime facts, unit-tested
 * for both modes.
 */

/** The runtime facts that decide the mode. */
export interface RuntimeFacts {
  standalone: boolean;
  execPath: string;
  mainModule: string;
}

/** The facts of the running program. */
export function currentFacts(): RuntimeFacts {
  return {
    standalone: Deno.build.standalone === true,
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
  };
}

/** Command and arguments that run this program again with `args`. */
export function selfCommand(facts: RuntimeFacts, args: string[]): { cmd: string; args: string[] } {
  if (facts.standalone) return { cmd: facts.execPath, args };
  return { cmd: facts.execPath, args: ["run", "-A", "--quiet", facts.mainModule, ...args] };
}

/** "binary" or "script", for `--version`. */
export function modeName(facts: RuntimeFacts): "binary" | "script" {
  return facts.standalone ? "binary" : "script";
}
