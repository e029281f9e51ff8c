import { quoteSh } from '../output/shell-quote.js';
import { AGENT_WORDS, CLEAR_VARS, COMMAND_WORDS, PROFILE_COMMANDS, SHELL_WORDS } from './completion-words.js';

/** `command swrole` skips the wrapper function itself; an absolute path pins one binary. */
export function posixBinary(swrolePath: string): string {
  return swrolePath === 'swrole' ? 'command swrole' : `command ${quoteSh(swrolePath)}`;
}

/**
 * The bash/zsh wrapper. `swrole use P` runs `swrole env P --format sh` and evals its output here (an agent's or
 * a script's own process cannot change its parent's environment); every other subcommand passes through.
 * Secrets only travel through the command substitution and a pipe to sed, never through argv.
 */
function renderWrapper(shell: 'bash' | 'zsh', bin: string): string {
  // zsh does not split unquoted parameters unless asked: ${=name}.
  const vars = shell === 'zsh' ? '${=__swrole_vars}' : '${__swrole_vars-}';
  return `# swrole shell integration for ${shell}. Load it from ~/.${shell}rc with:
#   eval "$(swrole shell-init ${shell})"
# swrole use PROFILE   switch this shell to PROFILE (runs: swrole env PROFILE --format sh)
# swrole use --clear   unset what swrole use set; SWROLE_PROFILE names the active profile (for prompts)
swrole() {
  if [ "\${1-}" != use ]; then
    ${bin} "$@"
    return
  fi
  shift
  case "\${1-}" in
    -h|--help)
      printf '%s\\n' 'usage: swrole use PROFILE [options]   switch this shell to PROFILE' '       swrole use --clear             unset what swrole use set'
      return 0 ;;
    ''|-*)
      if [ "\${1-}" = --clear ]; then
        unset ${vars} ${CLEAR_VARS.join(' ')}
        __swrole_vars=
        return 0
      fi
      printf '%s\\n' 'swrole: use: name a profile: swrole use PROFILE [options], or swrole use --clear' >&2
      return 2 ;;
  esac
  local __swrole_out __swrole_status
  __swrole_out="$(${bin} env "$@" --format sh)"
  __swrole_status=$?
  if [ "$__swrole_status" -ne 0 ]; then
    return "$__swrole_status"
  fi
  unset ${vars} AWS_PROFILE AWS_DEFAULT_PROFILE
  eval "$__swrole_out" || return $?
  __swrole_vars="$(printf '%s\\n' "$__swrole_out" | sed -n 's/^[[:space:]]*export[[:space:]]\\{1,\\}\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1/p' | tr '\\n' ' ')"
  SWROLE_PROFILE="$1"
  export SWROLE_PROFILE
}
`;
}

function renderBashCompletion(bin: string): string {
  return `
_swrole_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W '${COMMAND_WORDS.join(' ')}' -- "$cur"))
    return 0
  fi
  [ "$COMP_CWORD" -eq 2 ] || return 0
  case "\${COMP_WORDS[1]}" in
    ${PROFILE_COMMANDS.join('|')})
      local IFS=$'\\n'
      COMPREPLY=($(compgen -W "$(${bin} __complete profiles 2>/dev/null)" -- "$cur"))
      COMPREPLY=("\${COMPREPLY[@]// /\\\\ }") ;;
    shell-init) COMPREPLY=($(compgen -W '${SHELL_WORDS.join(' ')}' -- "$cur")) ;;
    agent) COMPREPLY=($(compgen -W '${AGENT_WORDS.join(' ')}' -- "$cur")) ;;
  esac
  return 0
}
complete -F _swrole_complete swrole
`;
}

function renderZshCompletion(bin: string): string {
  return `
_swrole() {
  if (( CURRENT == 2 )); then
    compadd -- ${COMMAND_WORDS.join(' ')}
  elif (( CURRENT == 3 )); then
    case "$words[2]" in
      ${PROFILE_COMMANDS.join('|')})
        local -a profiles
        profiles=("\${(@f)$(${bin} __complete profiles 2>/dev/null)}")
        compadd -- "\${profiles[@]}" ;;
      shell-init) compadd -- ${SHELL_WORDS.join(' ')} ;;
      agent) compadd -- ${AGENT_WORDS.join(' ')} ;;
    esac
  fi
}
# compdef exists once compinit has run; without it zsh has no completion system to register with.
if (( $+functions[compdef] )); then
  compdef _swrole swrole
fi
`;
}

export function renderPosixInit(shell: 'bash' | 'zsh', swrolePath: string): string {
  const bin = posixBinary(swrolePath);
  return renderWrapper(shell, bin) + (shell === 'bash' ? renderBashCompletion(bin) : renderZshCompletion(bin));
}
