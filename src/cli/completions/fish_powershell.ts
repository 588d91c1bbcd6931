/** Completion scripts for fish and PowerShell, rendered from the completion model. */

import {
  type Arm,
  type ArmPositional,
  arms,
  type Completes,
  type CompModel,
  groups,
  NAMES_ARG,
  PROGRAM,
  sq,
} from "./model.ts";

/** Options of `complete` for a value (`flag`: after a flag, else a positional). */
function fishValue(c: Completes, flag: boolean): string {
  const x = flag ? "-x " : "";
  if (c.kind === "choices") return `${x}-a ${sq(c.values.join(" "))}`;
  if (c.kind === "names") return `${x}-a '(__agent_procs_names)'`;
  if (c.kind === "dirs") return `${x}-a '(__fish_complete_directories)'`;
  if (c.kind === "files") return flag ? "-r -F" : "-F";
  return flag ? "-x" : "";
}

function fishLines(arm: Arm): string[] {
  const head = `complete -c ${PROGRAM} -n ${sq(`__agent_procs_is ${arm.cmd}`.trimEnd())}`;
  const p = arm.positional;
  const pos = p.kind === "words"
    ? p.items.map((i) => `${head} -a ${i.word} -d ${sq(i.help)}`)
    : fishValue(p, false)
    ? [`${head} ${fishValue(p, false)}`]
    : [];
  return [
    ...pos,
    ...arm.flags.map((f) => {
      const names = f.spellings.map((s) =>
        s.startsWith("--") ? `-l ${s.slice(2)}` : `-s ${s.slice(1)}`
      );
      const value = f.value ? ` ${fishValue(f.value, true)}` : "";
      return `${head} ${names.join(" ")}${value} -d ${sq(f.help)}`;
    }),
  ];
}

export function fishScript(model: CompModel, head: string): string {
  return `# fish ${head}.
# Install with: ${PROGRAM} completions fish > ~/.config/fish/completions/${PROGRAM}.fish

function __agent_procs_cmd
    set -l words (commandline -opc)
    set -e words[1]
    set -l cmd
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
        else if test "$w" = --session
            set skip 1
        else if not string match -q -- '-*' $w
            if test -z "$cmd"
                set cmd $w
            else if contains -- $cmd ${groups(model).join(" ")}
                set cmd "$cmd $w"
            end
        end
    end
    echo $cmd
end

function __agent_procs_is
    set -l cmd (__agent_procs_cmd)
    test "$cmd" = "$argv"
end

function __agent_procs_names
    set -l words (commandline -opc)
    set -l session
    set -l i 2
    while test $i -lt (count $words)
        if test "$words[$i]" = --session
            set session --session $words[(math $i + 1)]
        end
        set i (math $i + 1)
    end
    command ${PROGRAM} completions ${NAMES_ARG} $session 2>/dev/null
end

complete -c ${PROGRAM} -f
${arms(model).flatMap(fishLines).join("\n")}
`;
}

// ---------------------------------------------------------------- PowerShell

/** Single-quotes for PowerShell. */
function psq(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function psValue(c: ArmPositional): string {
  if (c.kind === "choices") return psq(`choices:${c.values.join(",")}`);
  return psq(c.kind);
}

function psEntry(arm: Arm): string {
  const vals = arm.flags.filter((f) => f.value).flatMap((f) =>
    f.spellings.map((s) => `${psq(s)} = ${psValue(f.value!)}`)
  );
  const words = arm.positional.kind === "words" ? arm.positional.items.map((i) => psq(i.word)) : [];
  return `        ${psq(arm.cmd)} = @{ flags = @(${
    arm.flags.flatMap((f) => f.spellings).map(psq).join(", ")
  }); vals = @{ ${vals.join("; ")} }; words = @(${words.join(", ")}); positional = ${
    psValue(arm.positional)
  } }`;
}

export function powershellScript(model: CompModel, head: string): string {
  const entries = arms(model).map(psEntry);
  return `# PowerShell ${head}.
# Load it from your $PROFILE with: ${PROGRAM} completions powershell | Out-String | Invoke-Expression

Register-ArgumentCompleter -Native -CommandName '${PROGRAM}' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $spec = @{
${entries.join("\n")}
    }
    $prior = @($commandAst.CommandElements | Select-Object -Skip 1 |
        Where-Object { $_.Extent.EndOffset -lt $cursorPosition } | ForEach-Object { $_.ToString() })
    $cmd = ''; $skip = $false; $session = @()
    foreach ($w in $prior) {
        if ($skip) { $skip = $false; $session = @('--session', $w); continue }
        if ($w -eq '--session') { $skip = $true; continue }
        if ($w.StartsWith('-')) { continue }
        if ($cmd -eq '') { $cmd = $w } elseif ($spec[$cmd].words.Count -gt 0) { $cmd = "$cmd $w" }
    }
    $entry = $spec[$cmd]
    if ($null -eq $entry) { return }
    $prev = if ($prior.Count -gt 0) { $prior[-1] } else { '' }
    $what = if ($entry.vals.ContainsKey($prev)) { $entry.vals[$prev] }
        elseif ($wordToComplete.StartsWith('-')) { 'flags' }
        elseif ($entry.words.Count -gt 0) { 'words' }
        else { $entry.positional }
    $candidates = switch -Wildcard ($what) {
        'flags' { $entry.flags }
        'words' { $entry.words }
        'names' { @(& '${PROGRAM}' completions ${NAMES_ARG} @session 2>$null) }
        'choices:*' { $what.Substring(8).Split(',') }
        default { @() }
    }
    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`;
}
