/**
 * Completions: unit tests of the pure generator (every command and flag of
 * the table is in every shell's script), and end to end: each script loads in
 * its shell where that shell is installed and completes the process names of
 * a live session. A missing bash, zsh or fish fails the test; PowerShell
 * (not packaged for Debian) is reported as ignored when `pwsh` is missing.
 */

import { deepEqual, equal, fail, match, ok } from "node:assert/strict";
import { withEnv } from "./helpers/harness.ts";
import { COMMANDS, GLOBAL_FLAGS } from "../src/cli/table.ts";
import {
  completionModel,
  completionScript,
  NAMES_ARG,
  parseShell,
  type Shell,
  SHELLS,
} from "../src/cli/completions/mod.ts";
import { VERSION } from "../src/version.ts";

const MODEL = completionModel(COMMANDS, GLOBAL_FLAGS);

/** True when `name` is an executable on PATH. */
function onPath(name: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return true;
    } catch {
      // not here
    }
  }
  return false;
}

const BINARIES: Record<Shell, string> = {
  bash: "bash",
  zsh: "zsh",
  fish: "fish",
  powershell: "pwsh",
};

/** Completes a command line in a real shell; returns the sorted candidates. */
type ShellRun = (line: string, env: Record<string, string>) => Promise<string[]>;

const dec = new TextDecoder();

async function runShell(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    env,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const text = dec.decode(out.stdout);
  if (out.code !== 0) {
    throw new Error(`${cmd} exited ${out.code}: ${text}\n${dec.decode(out.stderr)}`);
  }
  return text;
}

const sorted = (lines: string[]) => [...new Set(lines.filter((l) => l !== ""))].sort();

const BASH_DRIVER = `source "$1"
read -ra COMP_WORDS <<< "$2"
[[ $2 == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
_agent_procs
printf '%s\\n' "\${COMPREPLY[@]}"`;

/** Real zsh completion: an interactive zsh on a pty (zpty), TAB, candidates caught at compadd. */
const ZSH_RC = `PS1='' PROMPT='' RPROMPT=''
autoload -Uz compinit && compinit -u -D
source "$AP_SCRIPT"
compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd "$@"; return; fi
  local -a hits; local h
  builtin compadd -A hits "$@"
  for h in $hits; do print -r -- "HIT<$h>"; done
  builtin compadd "$@"
}
_ap_complete() { zle complete-word; print -r -- "DONE-""MARK" }
zle -N _ap_complete
bindkey '^I' _ap_complete
print -r -- "READY-""MARK"`;

const ZSH_DRIVER = `zmodload zsh/zpty zsh/zselect || exit 3
typeset -F SECONDS
zpty z zsh -i
fd=$REPLY out="" chunk=""
await() {
  local deadline=$(( SECONDS + 15 ))
  while [[ $out != *$1* ]]; do
    (( SECONDS < deadline )) || { print -r -- "TIMEOUT waiting for $1: $out"; zpty -d z; exit 4; }
    zselect -t 10 -r $fd
    zpty -rt z chunk && out+=$chunk
  done
}
await READY-MARK
out=""
zpty -n -w z "$1"$'\\t'
await DONE-MARK
print -r -- "$out"
zpty -n -w z $'\\C-u'
zpty -w z exit
zpty -d z`;

/** A driver that completes `line` in `shell` with the script at `script`. */
function shellDriver(shell: Shell, script: string, dir: string): ShellRun {
  switch (shell) {
    case "bash":
      return async (line, env) =>
        sorted(
          (await runShell(
            "bash",
            ["--norc", "--noprofile", "-c", BASH_DRIVER, "bash", script, line],
            env,
            dir,
          ))
            .split("\n"),
        );
    case "zsh":
      return async (line, env) => {
        await Deno.writeTextFile(`${dir}/.zshrc`, ZSH_RC);
        const zenv = { ...env, ZDOTDIR: dir, AP_SCRIPT: script, TERM: "dumb" };
        const out = await runShell("zsh", ["-f", "-c", ZSH_DRIVER, "zsh", line], zenv, dir);
        return sorted([...out.matchAll(/HIT<([^>]*)>/g)].map((m) => m[1]));
      };
    case "fish": {
      const code = "source $AP_SCRIPT; complete -C $AP_LINE";
      return async (line, env) => {
        const out = await runShell(
          "fish",
          ["--no-config", "-c", code],
          { ...env, AP_SCRIPT: script, AP_LINE: line },
          dir,
        );
        return sorted(out.split("\n").map((l) => l.split("\t")[0]));
      };
    }
    case "powershell": {
      const code = ". $env:AP_SCRIPT; (TabExpansion2 -inputScript $env:AP_LINE " +
        "-cursorColumn $env:AP_LINE.Length).CompletionMatches | ForEach-Object { $_.CompletionText }";
      return async (line, env) => {
        const out = await runShell(
          "pwsh",
          ["-NoProfile", "-NonInteractive", "-Command", code],
          { ...env, AP_SCRIPT: script, AP_LINE: line },
          dir,
        );
        return sorted(out.split(/\r?\n/));
      };
    }
  }
}

Deno.test("completion model: built from the command table", () => {
  deepEqual(MODEL.commands.map((c) => c.words.join(" ")), COMMANDS.map((c) => c.name));
  const byName = (n: string) => MODEL.commands.find((c) => c.words.join(" ") === n)!;
  equal(byName("stop").positional.kind, "names");
  equal(byName("stop-all").positional.kind, "nothing");
  deepEqual(byName("completions").positional, { kind: "choices", values: SHELLS });
  const run = byName("run");
  deepEqual(run.flags.find((f) => f.spellings[0] === "--autorestart")?.value, {
    kind: "choices",
    values: ["always", "on-failure", "never"],
  });
  equal(run.flags.find((f) => f.spellings[0] === "--cwd")?.value?.kind, "dirs");
  equal(run.flags.find((f) => f.spellings[0] === "--proxy")?.value, null);
  ok(run.flags.some((f) => f.spellings[0] === "--session"), "global flags on every command");
  deepEqual(byName("session list").words, ["session", "list"]);
  deepEqual(MODEL.topFlags.at(-1)?.spellings, ["--version", "-V"]);
});

Deno.test("completion model: parseShell and the shells named in the table agree", () => {
  deepEqual(SHELLS.map(parseShell), [...SHELLS]);
  equal(parseShell("tcsh"), null);
  equal(parseShell(NAMES_ARG), null);
  equal(COMMANDS.find((c) => c.name === "completions")?.args, `<${SHELLS.join("|")}>`);
});

for (const shell of SHELLS) {
  Deno.test(`completion text (${shell}): names every command, subcommand and flag`, () => {
    const text = completionScript(shell, MODEL, VERSION);
    ok(text.includes(`agent-procs ${VERSION}`));
    ok(text.includes(`completions ${NAMES_ARG}`), "asks the CLI for process names");
    for (const c of MODEL.commands) {
      for (const w of c.words) ok(new RegExp(`\\b${w}\\b`).test(text), `${shell}: command ${w}`);
      for (const f of c.flags) {
        for (const s of f.spellings) {
          const bare = shell === "fish" ? s.replace(/^--?/, "") : s;
          ok(text.includes(bare), `${shell}: flag ${s} of ${c.words.join(" ")}`);
        }
      }
    }
    for (const v of ["always", "on-failure", "never", "powershell"]) ok(text.includes(v));
  });
}

Deno.test("completion text (powershell): no two flags of a command differ only in case", () => {
  // PowerShell hashtable keys ignore case: -n and -N in one command would break the script.
  for (const c of MODEL.commands) {
    const lower = c.flags.flatMap((f) => f.spellings).map((s) => s.toLowerCase());
    equal(new Set(lower).size, lower.length, c.words.join(" "));
  }
});

Deno.test("completions command: prints the generated script; rejects an unknown shell", async () => {
  await withEnv("comp-cli", async (env) => {
    const out = await env.ok(["completions", "bash"]);
    equal(out, completionScript("bash", MODEL, VERSION).trimEnd() + "\n");
    const bad = await env.cli(["completions", "tcsh"]);
    equal(bad.code, 1);
    match(bad.stderr, /unknown shell "tcsh"/);
    match(bad.stderr, /hint: one of: bash, zsh, fish, powershell/);
  });
});

Deno.test("completions __names: empty session prints nothing and starts no daemon", async () => {
  await withEnv("comp-nod", async (env) => {
    const r = await env.cli(["completions", NAMES_ARG]);
    equal(r.code, 0, r.stderr);
    equal(r.stdout, "");
    equal(env.daemonPid(), null);
    const sockets = [...Deno.readDirSync(env.home)].flatMap((e) =>
      e.name === "run" ? [...Deno.readDirSync(`${env.home}/run`)].map((f) => f.name) : []
    );
    ok(!sockets.some((f) => f.endsWith(".sock")), `no socket: ${sockets.join(", ")}`);
  });
});

Deno.test("completions: each shell's script completes the session's process names", async (t) => {
  await withEnv("comp-sh", async (env) => {
    await env.ok(["run", "sleep 1000", "--name", "web-1"]);
    await env.ok(["run", "sleep 1000", "--name", "api"]);
    equal((await env.ok(["completions", NAMES_ARG])).split("\n").sort().join(" "), " api web-1");
    const bin = `${env.home}/bin`;
    await Deno.mkdir(bin);
    const main = `${env.root}/main.ts`;
    await Deno.writeTextFile(
      `${bin}/agent-procs`,
      `#!/bin/sh\nexec '${Deno.execPath()}' run -A --quiet '${main}' "$@"\n`,
      { mode: 0o755 },
    );
    const path = `${bin}:${Deno.env.get("PATH") ?? ""}`;
    // The process names of env.session, both from the environment and from --session.
    const shellEnv = env.env({ PATH: path, XDG_CONFIG_HOME: env.home });
    const otherEnv = { ...shellEnv, AGENT_PROCS_SESSION: `${env.session}-none` };
    for (const shell of SHELLS) {
      const script = `${env.home}/completion.${shell}`;
      await Deno.writeTextFile(script, await env.ok(["completions", shell]));
      const binary = BINARIES[shell];
      // PowerShell is not packaged for Debian and cannot be fetched here: its step is reported as
      // ignored (never as passed). Every other shell must be installed (.ci/run installs them).
      const ignore = shell === "powershell" && !onPath(binary);
      const name = ignore
        ? `${shell}: IGNORED, ${binary} is not installed (not in Debian; install it to run this)`
        : `${shell}: loads in ${binary} and completes process names, flags and values`;
      await t.step({
        name,
        ignore,
        fn: async () => {
          if (!onPath(binary)) {
            fail(
              `${binary} is not installed: install it (apt-get install ${binary}); .ci/run does`,
            );
          }
          const empty = `${env.home}/empty-${shell}`;
          await Deno.mkdir(empty);
          const drive = shellDriver(shell, script, empty);
          deepEqual(await drive("agent-procs stop ", shellEnv), ["api", "web-1"]);
          deepEqual(await drive("agent-procs logs --tail 5 w", shellEnv), ["web-1"]);
          deepEqual(await drive("agent-procs stop ", otherEnv), []);
          deepEqual(await drive(`agent-procs --session ${env.session} restart `, otherEnv), [
            "api",
            "web-1",
          ]);
          deepEqual(await drive("agent-procs run --autorestart ", shellEnv), [
            "always",
            "never",
            "on-failure",
          ]);
          deepEqual(await drive("agent-procs session c", shellEnv), ["clean"]);
          deepEqual(await drive("agent-procs wait api --re", shellEnv), ["--ready", "--regex"]);
        },
      });
    }
  });
});
