/** Completion scripts for bash and zsh, rendered from the completion model. */

import {
  type ArmPositional,
  arms,
  caseArm,
  type CompModel,
  namesFunction,
  PROGRAM,
  scanLoop,
  sq,
} from "./model.ts";

function bashValue(c: ArmPositional): string {
  if (c.kind === "choices") return `_agent_procs_reply -W ${sq(c.values.join(" "))}`;
  if (c.kind === "words") {
    return `_agent_procs_reply -W ${sq(c.items.map((i) => i.word).join(" "))}`;
  }
  if (c.kind === "names") return `_agent_procs_reply -W "$(_agent_procs_names)"`;
  if (c.kind === "nothing") return ":";
  return `compopt -o filenames 2>/dev/null; _agent_procs_reply ${c.kind === "dirs" ? "-d" : "-f"}`;
}

export function bashScript(model: CompModel, head: string): string {
  const body = arms(model).map((a) =>
    caseArm(
      a,
      bashValue,
      (arm) =>
        `      flags=${sq(arm.flags.flatMap((f) => f.spellings).join(" "))}\n` +
        `      [[ $cur == -* ]] || { ${bashValue(arm.positional)}; return; } ;;`,
    )
  );
  return `# bash ${head}.
# Load it from ~/.bashrc with: source <(${PROGRAM} completions bash)

_agent_procs_reply() {
  local line
  COMPREPLY=()
  while IFS= read -r line; do
    [[ -n $line ]] && COMPREPLY+=("$line")
  done < <(compgen "$@" -- "$cur")
}

${namesFunction("COMP_WORDS", 1, "COMP_CWORD")}

_agent_procs() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local cmd="" flags="" i w
  COMPREPLY=()
${scanLoop(model, "COMP_WORDS", 1, "COMP_CWORD")}
  case $cmd in
${body.join("\n")}
    *) return ;;
  esac
  _agent_procs_reply -W "$flags"
}

complete -F _agent_procs ${PROGRAM}
`;
}

// ---------------------------------------------------------------- zsh

function zshDescribe(tag: string, items: { word: string; help: string }[]): string {
  const list = items.map((i) => sq(`${i.word.replaceAll(":", "\\:")}:${i.help}`)).join(" ");
  return `local -a items=(${list}); _describe -t ${tag} ${tag} items`;
}

function zshValue(c: ArmPositional): string {
  if (c.kind === "choices") return `compadd -- ${c.values.map(sq).join(" ")}`;
  if (c.kind === "words") return zshDescribe("commands", c.items);
  if (c.kind === "names") return `compadd -- \${(f)"$(_agent_procs_names)"}`;
  if (c.kind === "nothing") return ":";
  return c.kind === "dirs" ? "_files -/" : "_files";
}

export function zshScript(model: CompModel, head: string): string {
  const body = arms(model).map((a) =>
    caseArm(a, zshValue, (arm) => {
      const flags = arm.flags.flatMap((f) => f.spellings.map((s) => ({ word: s, help: f.help })));
      return `      if [[ $cur == -* ]]; then ${zshDescribe("options", flags)}; ` +
        `else ${zshValue(arm.positional)}; fi ;;`;
    })
  );
  return `#compdef ${PROGRAM}
# zsh ${head}.
# Load it from ~/.zshrc (after compinit) with: source <(${PROGRAM} completions zsh)
# or save it as _${PROGRAM} in a directory of your $fpath.

${namesFunction("words", 2, "CURRENT")}

_agent_procs() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} cmd="" i w
${scanLoop(model, "words", 2, "CURRENT")}
  case $cmd in
${body.join("\n")}
  esac
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _agent_procs "$@"
else
  compdef _agent_procs ${PROGRAM}
fi
`;
}

// ---------------------------------------------------------------- fish
