/**
 * End-to-end: the terminal UI against a real daemon, inside tmux (a private
 * tmux server per test). tmux must be installed (.ci/run installs it).
 */

import { equal, match } from "node:assert/strict";
import { pollUntil, type TestEnv, withEnv } from "./helpers/harness.ts";
import { cliCommand, shellQuote, Tmux } from "./helpers/tmux.ts";
import { startBrowserSite } from "./helpers/browser_site.ts";

async function startUi(env: TestEnv, tmux: Tmux): Promise<string> {
  const sttyFile = `${env.home}/stty.txt`;
  await tmux.start(
    `${cliCommand(env, "ui")}; stty -a > ${shellQuote(sttyFile)}; echo UI-EXITED; sleep 600`,
  );
  return sttyFile;
}

Deno.test("ui shows processes and output; select, restart, filter, resize, and q leaves them running", async () => {
  await withEnv("ui", async (env) => {
    const tmux = new Tmux();
    try {
      await env.ok([
        "run",
        "i=0; while true; do i=$((i+1)); echo alpha $i; sleep 0.1; done",
        "--name",
        "alpha",
      ]);
      await env.ok([
        "run",
        "echo beta-one; echo beta-two; echo beta-err >&2; sleep 1000",
        "--name",
        "beta",
      ]);
      const sttyFile = await startUi(env, tmux);
      const first = await tmux.until(/alpha \d+/, "alpha output on screen");
      match(first, /alpha/);
      match(first, /beta/);
      // Select beta (second row) and see its output.
      await tmux.keys("j");
      await tmux.until(/beta-two/, "beta's output after selecting it");
      // Filter: only lines containing "two".
      await tmux.keys("/", "two", "Enter");
      await pollUntil(async () => {
        const s = await tmux.screen();
        return /beta-two/.test(s) && !/beta-one/.test(s);
      }, { what: "only the matching line after /two", seen: () => tmux.screen() });
      await tmux.keys("Escape");
      await tmux.until(/beta-one/, "filter cleared");
      // Restart beta with r: its pid changes.
      const before = await env.proc("beta");
      await tmux.keys("r");
      await pollUntil(async () => (await env.proc("beta")).pid !== before.pid, {
        what: "beta restarted",
      });
      await tmux.until(/Restarted \(manual\)/, "restart annotation on screen");
      // Resize: the view redraws to the new size. The header is on the first row and the status
      // bar, whose counts are right-aligned to the width (and shortened below 100 columns), on the
      // last: a screen left as drawn at 100x24 and cut by tmux would have lost the counts.
      // A key clears the "restarted beta" notice, so the status bar shows its counts again (j on
      // the last row keeps beta selected).
      await tmux.keys("j");
      await pollUntil(async () => /running\s*$/.test((await tmux.screen()).trimEnd()), {
        what: "the status bar's counts at 100x24",
        seen: () => tmux.screen(),
      });
      await tmux.run(["resize-window", "-t", "ui", "-x", "60", "-y", "15"]);
      await pollUntil(async () => {
        const rows = (await tmux.screen()).replace(/\n$/, "").split("\n");
        const last = rows.at(-1)!.trimEnd();
        return rows.length === 15 && /^ Processes 2\b/.test(rows[0]) &&
          /\b2 run$/.test(last) && last.length >= 58 && last.length <= 60 &&
          rows.some((r) => /beta/.test(r));
      }, { what: "redraw at 60x15", seen: () => tmux.screen() });
      // q quits, processes keep running, the terminal is sane again.
      await tmux.keys("q");
      await tmux.until(/UI-EXITED/, "ui exit");
      const stty = await Deno.readTextFile(sttyFile);
      match(stty, /(^|\s)icanon(\s|$)/);
      match(stty, /(^|\s)echo(\s|$)/);
      const rows = await env.status();
      equal(rows.filter((r) => r.state === "running").length, 2);
    } finally {
      await tmux.kill();
    }
  });
});

Deno.test("ui without a daemon is a clear error", async () => {
  await withEnv("ui2", async (env) => {
    const r = await env.cli(["ui"]);
    equal(r.code, 1);
    match(r.stderr, /no daemon is running/);
  });
});

Deno.test("up on a terminal shows a live per-process view and ends with the summary", async () => {
  await withEnv("uplive", async (env) => {
    const tmux = new Tmux();
    try {
      const dir = `${env.home}/stack`;
      await Deno.mkdir(dir);
      await Deno.writeTextFile(
        `${dir}/agent-procs.yaml`,
        // first becomes ready only when the test creates the file "go" (no timing window).
        "processes:\n  first:\n    cmd: while [ ! -f go ]; do sleep 0.05; done; echo go; sleep 1000\n" +
          "    ready: go\n" +
          "  second:\n    cmd: echo ok; sleep 1000\n    ready: ok\n    depends_on: [first]\n",
      );
      await tmux.start(
        `cd ${shellQuote(dir)} && ${cliCommand(env, "up")}; echo UP-EXITED; sleep 600`,
        100,
        20,
      );
      // While first is starting, second is shown waiting.
      await tmux.until(/second\s+waiting/, "second shown as waiting");
      await Deno.writeTextFile(`${dir}/go`, "");
      const done = await tmux.until(/UP-EXITED/, "up to finish");
      match(done, /first\s+ready\s+[\d.]+s/);
      match(done, /second\s+ready\s+[\d.]+s/);
      match(done, /all processes started/);
    } finally {
      await tmux.kill();
    }
  });
});

Deno.test("ui shows CPU and MEM of the selected process", async () => {
  await withEnv("ui-usage", async (env) => {
    const tmux = new Tmux();
    try {
      await env.ok(["run", "--name", "busy", "while :; do :; done"]);
      await startUi(env, tmux);
      const screen = await tmux.until(
        /busy running · CPU \d+\.\d% MEM \d+(\.\d)?[KMG]/,
        "CPU and MEM",
      );
      match(screen, /CPU (\d{2,3})\.\d%/);
      await tmux.keys("q");
      await tmux.until(/UI-EXITED/, "ui exit");
    } finally {
      await tmux.kill();
    }
  });
});

Deno.test("ui: a process at a prompt shows input?, and i sends it a line", async () => {
  await withEnv("ui-send", async (env) => {
    const tmux = new Tmux();
    try {
      const py = 'x = input("Proceed? (y/n) "); print("you said", x); input()';
      await env.ok(["run", "--stdin", "-n", "py", "--", "python3", "-c", py]);
      await startUi(env, tmux);
      await tmux.until(/input\?/, "py shown waiting for input");
      await tmux.keys("i");
      await tmux.until(/send to py ›/, "the send field");
      await tmux.keys("yes", "Enter");
      await tmux.until(/you said yes/, "what py read, on screen");
      await tmux.keys("q");
      await tmux.until(/UI-EXITED/, "ui exit");
    } finally {
      await tmux.kill();
    }
  });
});

Deno.test("ui shows a process's browser console lines; e cycles to the browser stream alone", async () => {
  await withEnv("ui-browser", async (env) => {
    const tmux = new Tmux();
    try {
      const url = await startBrowserSite(env, {});
      // What the capture script posts from a page, sent here by curl.
      const post = await new Deno.Command("curl", {
        args: [
          "-s",
          "-m",
          "10",
          "-o",
          "/dev/null",
          "-w",
          "%{http_code}",
          "-H",
          "content-type: application/json",
          "--data",
          JSON.stringify({
            entries: [{
              level: "error",
              text: "ui-sees-this",
              url: `${url}/a.js`,
              line: 3,
              col: 7,
            }],
          }),
          `${url}/_agent-procs/console`,
        ],
        stdout: "piped",
      }).output();
      equal(new TextDecoder().decode(post.stdout), "204");
      await startUi(env, tmux);
      const both = await tmux.until(/\[browser\] error ui-sees-this/, "the browser line on screen");
      match(both, /listening on/);
      await tmux.keys("e", "e", "e");
      await pollUntil(async () => {
        const s = await tmux.screen();
        return /· browser/.test(s) && /ui-sees-this/.test(s) && !/listening on/.test(s);
      }, { what: "the browser stream alone after e e e", seen: () => tmux.screen() });
    } finally {
      await tmux.kill();
    }
  });
});
