/**
 * End-to-end check of the UI in a real terminal: runs demo_fake.ts inside a
 * tmux server of its own (private socket), types keys, reads the screen, and
 * checks the terminal is restored (cooked mode, normal screen) after `q` and
 * after SIGTERM. Needs tmux (.ci/run installs it); without it the tests fail, never skip.
 */

import { ok } from "node:assert/strict";

const DEMO = new URL("./demo_fake.ts", import.meta.url).pathname;

/** A private tmux server with one session running the demo. */
class Tmux {
  sock = `agent-procs-tui-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;

  async run(...args: string[]): Promise<string> {
    const out = await new Deno.Command("tmux", {
      args: ["-L", this.sock, ...args],
      stderr: "piped",
      stdout: "piped",
    })
      .output();
    if (!out.success) {
      throw new Error(`tmux ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
    }
    return new TextDecoder().decode(out.stdout);
  }

  async start(): Promise<void> {
    const deno = Deno.execPath();
    const cmd =
      `'${deno}' run -A '${DEMO}' --flood 5; echo EXIT=$?; stty -a; echo STTY-DONE; sleep 120`;
    await this.run("new-session", "-d", "-s", "ui", "-x", "100", "-y", "25", cmd);
  }

  screen(): Promise<string> {
    return this.run("capture-pane", "-p", "-t", "ui");
  }

  async keys(...keys: string[]): Promise<void> {
    await this.run("send-keys", "-t", "ui", ...keys);
  }

  /** Polls the screen until `cond` holds; fails after `ms` showing the screen. */
  async until(what: string, cond: (screen: string) => boolean, ms = 15_000): Promise<string> {
    const deadline = performance.now() + ms;
    let screen = "";
    while (performance.now() < deadline) {
      screen = await this.screen();
      if (cond(screen)) return screen;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
  }

  /** PID of the demo (the child of the pane's shell). */
  async demoPid(): Promise<number> {
    const shell = Number((await this.run("display", "-p", "-t", "ui", "#{pane_pid}")).trim());
    const out = await new Deno.Command("pgrep", { args: ["-P", String(shell)], stdout: "piped" })
      .output();
    const pid = Number(new TextDecoder().decode(out.stdout).trim().split("\n")[0]);
    if (!pid) throw new Error(`no child of the pane's shell ${shell}`);
    return pid;
  }

  /** Ends this private server and removes its socket file. */
  async close(): Promise<void> {
    const path = (await this.run("display", "-p", "#{socket_path}").catch(() => "")).trim();
    await this.run("kill-server").catch(() => {});
    if (path) await Deno.remove(path).catch(() => {});
  }
}

/** The terminal is back in cooked mode with echo (checked with `stty -a` after the UI ended). */
function restored(screen: string): boolean {
  return /(^|\s)icanon(\s|$)/m.test(screen) && /(^|\s)echo(\s|$)/m.test(screen) &&
    !screen.includes("Processes 8");
}

Deno.test({
  name: "tmux: keys drive the real UI; q restores the terminal",
  async fn() {
    const t = new Tmux();
    try {
      await t.start();
      await t.until("the UI", (s) => s.includes("Processes 8") && s.includes("web ready"));
      await t.keys("j", "j", "j");
      await t.until("crasher selected", (s) => s.includes("crasher exited (exit 1)"));
      await t.keys("r");
      await t.until(
        "restart done",
        (s) => s.includes("restarted crasher") && s.includes("Restarted (manual)"),
      );
      await t.keys("/", "ECONN", "Enter");
      const filtered = await t.until("filter applied", (s) => s.includes('filter "ECONN"'));
      ok(!filtered.includes("connecting to db"), filtered);
      await t.keys("q");
      // stty runs after the EXIT line: wait for all of its output (its first line can show alone).
      const end = await t.until("exit", (s) => s.includes("EXIT=0") && s.includes("STTY-DONE"));
      ok(end.includes("ui ended: quit"), end);
      ok(restored(end), end);
    } finally {
      await t.close();
    }
  },
});

Deno.test({
  name: "tmux: SIGTERM quits the UI and restores the terminal",
  async fn() {
    const t = new Tmux();
    try {
      await t.start();
      await t.until("the UI", (s) => s.includes("Processes 8"));
      Deno.kill(await t.demoPid(), "SIGTERM");
      const end = await t.until("exit", (s) => s.includes("EXIT=") && s.includes("STTY-DONE"));
      ok(end.includes("ui ended: quit") && end.includes("EXIT=0"), end);
      ok(restored(end), end);
    } finally {
      await t.close();
    }
  },
});
