import { quoteSh } from '../output/shell-quote.js';
import { NAMES_COMMENT } from '../output/render-env.js';
import { CLEAR_VARS, RESTORE_VARS, completionTable } from './completion-words.js';

/** `command swrole` skips the wrapper function itself; an absolute path pins one binary. */
export function posixBinary(swrolePath: string): string {
  return swrolePath === 'swrole' ? 'command swrole' : `command ${quoteSh(swrolePath)}`;
}

/**
 * The bash/zsh wrapper. `swrole use P` runs `swrole env P --format sh` and evals its output here (an agent's or
 * a script's own process cannot change its parent's environment); every other subcommand passes through.
 * Secrets only travel through the command substitution, never through argv.
 */
function renderWrapper(shell: 'bash' | 'zsh', bin: string): string {
  // zsh does not split unquoted parameters unless asked: ${=name}.
  const vars = shell === 'zsh' ? '${=__swrole_vars}' : '${__swrole_vars-}';
  return `# swrole shell integration for ${shell}. Load it from ~/.${shell}rc with:
#   eval "$(swrole shell-init ${shell})"
# swrole use PROFILE   switch this shell to PROFILE (runs: swrole env PROFILE --format sh)
# swrole use           choose the profile in the picker first (runs: swrole env --pick --format sh)
# swrole use --clear   unset what swrole use set and restore what the shell had before the first use (AWS_PROFILE,
#                      AWS_REGION, keys); SWROLE_PROFILE names the active profile (for prompts)
# Names are fixed words, values are only ever expanded (never re-parsed): \$__swrole_old_X holds X's old value.
__swrole_save() {
  [ -n "\${__swrole_saved-}" ] && return 0
  local __swrole_n
  __swrole_saved=' '
  for __swrole_n in ${RESTORE_VARS.join(' ')}; do
    if eval "[ \\\${\$__swrole_n+x} ]"; then
      eval "__swrole_old_\$__swrole_n=\\\"\\\${\$__swrole_n}\\\""
      __swrole_saved="\$__swrole_saved\$__swrole_n "
    fi
  done
}
__swrole_restore() {
  [ -n "\${__swrole_saved-}" ] || return 0
  local __swrole_n
  for __swrole_n in ${RESTORE_VARS.join(' ')}; do
    case "\$__swrole_saved" in
      *" \$__swrole_n "*)
        eval "export \$__swrole_n=\\\"\\\$__swrole_old_\$__swrole_n\\\""
        unset "__swrole_old_\$__swrole_n" ;;
    esac
  done
  __swrole_saved=
}
swrole() {
  if [ "\${1-}" != use ]; then
    ${bin} "$@"
    return
  fi
  shift
  case "\${1-}" in
    -h|--help)
      printf '%s\\n' 'usage: swrole use PROFILE [options]   switch this shell to PROFILE' '       swrole use                     choose the profile in a picker (on a terminal)' '       swrole use --clear             unset what swrole use set, restore what was there before'
      return 0 ;;
    -*|'')
      if [ "$#" -eq 0 ]; then
        # No profile: \`env --pick\` opens the picker on the terminal (stderr) while stdout is captured here.
        set -- --pick
      elif [ "\${1-}" = --clear ]; then
        unset ${vars} ${CLEAR_VARS.join(' ')}
        __swrole_vars=
        __swrole_restore
        return 0
      else
        printf '%s\\n' 'swrole: use: name a profile: swrole use PROFILE [options], or swrole use --clear' >&2
        return 2
      fi ;;
  esac
  local __swrole_out __swrole_status __swrole_names
  __swrole_out="$(${bin} env "$@" --format sh --names-comment)"
  __swrole_status=$?
  if [ "$__swrole_status" -ne 0 ]; then
    return "$__swrole_status"
  fi
  # What --clear unsets comes from the first line only (\`# swrole-names: A B\`), checked to be names and
  # nothing else; never from the rest, where a multi-line value may hold text that looks like \`export X=\`.
  __swrole_names="\${__swrole_out%%$'\\n'*}"
  case "$__swrole_names" in
    '${NAMES_COMMENT}'*) __swrole_names="\${__swrole_names#'${NAMES_COMMENT}'}" ;;
    *) __swrole_names='?' ;;
  esac
  case "$__swrole_names" in
    *[!A-Za-z0-9_\\ ]*)
      printf '%s\\n' 'swrole: use: swrole env printed no list of names (a different swrole on PATH than shell-init?)' >&2
      return 1 ;;
  esac
  __swrole_save
  unset ${vars} AWS_PROFILE AWS_DEFAULT_PROFILE
  eval "$__swrole_out" || return $?
  __swrole_vars="$__swrole_names"
  # The exports set SWROLE_PROFILE to the profile used (the picked one too).
  if [ "$1" != --pick ]; then
    SWROLE_PROFILE="$1"
    export SWROLE_PROFILE
  fi
}
`;
}

/** `'exec'|'agent claude'` for a `case` arm: registry words are plain, quoting keeps the space literal. */
const caseArm = (keys: readonly string[]): string => keys.map((k) => `'${k}'`).join('|');

/**
 * bash: the key is the words before the cursor. Profile names are read line by line and compared as text, then
 * inserted quoted by `printf %q`; never through `compgen -W`, which expands its word list (it ran a `$(...)`
 * found in a profile name and dropped the quote of O'Brien), nor through an unquoted `$(...)` (a `*` became files).
 */
function renderBashCompletion(bin: string): string {
  const table = completionTable();
  const arms = table.words.map(({ key, words }) => `    ${caseArm([key])}) words=(${words.map((w) => w.word).join(' ')}) ;;`);
  return `
_swrole_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" key='' i name quoted
  local -a words=()
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do key+="\${key:+ }\${COMP_WORDS[i]}"; done
  case "$key" in
${arms.join('\n')}
    ${caseArm(table.profileKeys)})
      while IFS= read -r name; do
        printf -v quoted '%q' "$name"
        if [[ "$name" == "$cur"* || "$quoted" == "$cur"* ]]; then COMPREPLY+=("$quoted"); fi
      done < <(${bin} __complete profiles 2>/dev/null)
      return 0 ;;
  esac
  for name in "\${words[@]}"; do
    if [[ "$name" == "$cur"* ]]; then COMPREPLY+=("$name"); fi
  done
  return 0
}
complete -F _swrole_complete swrole
`;
}

/** zsh: profile names split on newlines only (never expanded: emulate -L zsh), compadd quotes them on insertion. */
function renderZshCompletion(bin: string): string {
  const table = completionTable();
  const arms = table.words.map(({ key, words }) => `    ${caseArm([key])}) candidates=(${words.map((w) => w.word).join(' ')}) ;;`);
  return `
_swrole() {
  emulate -L zsh
  local key="\${(j: :)words[2,CURRENT-1]}"
  local -a candidates
  case "$key" in
${arms.join('\n')}
    ${caseArm(table.profileKeys)}) candidates=(\${(f)"$(${bin} __complete profiles 2>/dev/null)"}) ;;
  esac
  compadd -- "\${candidates[@]}"
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
