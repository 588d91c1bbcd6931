/**
 * A private tmux server for a test (its own `-L` socket): start a command in
 * a session named "ui", send keys, read the screen (optionally with its SGR
 * attributes), wait for text with a deadline, and kill the server (and its
 * socket file) at the end.
 */

import { pollUntil, type TestEnv } from "./harness.ts";

/** One private tmux server. */
export class Tmux {
  /** The `-L` socket name (unique per instance). */
  readonly socket = `ap-ui-${crypto.randomUUID().slice(0, 8)}`;

  /** Runs `tmux -L SOCKET ...args` (10 s at most) and returns its stdout. */
  async run(args: string[]): Promise<string> {
    const out = await new Deno.Command("tmux", {
      args: ["-L", this.socket, ...args],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(10_000),
    })
      .output();
    return new TextDecoder().decode(out.stdout);
  }

  /** The visible screen as text (`withStyle`: with SGR sequences, `capture-pane -e`). */
  screen(withStyle = false): Promise<string> {
    return this.run(["capture-pane", "-p", ...(withStyle ? ["-e"] : []), "-t", "ui"]);
  }

  /** Waits until the screen matches `re` (15 s), failing with the last screen. */
  async until(re: RegExp, what: string): Promise<string> {
    return await pollUntil(async () => {
      const s = await this.screen();
      return re.test(s) ? s : null;
    }, { what, seen: () => this.screen(), timeoutMs: 15_000 });
  }

  /** Sends keys to the "ui" session. */
  keys(...k: string[]): Promise<string> {
    return this.run(["send-keys", "-t", "ui", ...k]);
  }

  /** Starts `sh -c cmd` in a detached session "ui" of `cols`x`rows`. */
  async start(cmd: string, cols = 100, rows = 24): Promise<void> {
    await this.run([
      "new-session",
      "-d",
      "-s",
      "ui",
      "-x",
      `${cols}`,
      "-y",
      `${rows}`,
      "sh",
      "-c",
      cmd,
    ]);
  }

  /** Kills the server and removes its socket file. */
  async kill(): Promise<void> {
    await this.run(["kill-server"]);
    const uid = Deno.uid();
    const dir = Deno.env.get("TMUX_TMPDIR") ?? "/tmp";
    await Deno.remove(`${dir}/tmux-${uid}/${this.socket}`).catch(() => null);
  }
}

/** Quotes `s` for sh. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/**
 * A shell command that runs `agent-procs ARGS` with `env`'s variables (PATH,
 * HOME, AGENT_PROCS_*, and NO_COLOR only when `noColor`; tmux's own NO_COLOR
 * is removed otherwise).
 */
export function cliCommand(env: TestEnv, args: string, noColor = true): string {
  const envs = Object.entries(env.env()).filter(([k]) => /^(PATH|HOME|AGENT_PROCS_\w+)$/.test(k))
    .map(([k, v]) => `${k}=${shellQuote(v)}`).join(" ");
  return `env -u NO_COLOR ${noColor ? "NO_COLOR=1 " : ""}${envs} ${shellQuote(Deno.execPath())} ` +
    `run -A --quiet ${shellQuote(`${env.root}/main.ts`)} ${args}`;
}
