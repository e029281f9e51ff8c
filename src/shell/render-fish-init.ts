import { quoteFish } from '../output/shell-quote.js';
import { NAMES_COMMENT } from '../output/render-env.js';
import { CLEAR_VARS, RESTORE_VARS, completionTable } from './completion-words.js';

/** The fish wrapper: the same contract as the bash/zsh one, with `swrole env P --format fish`. */
export function renderFishInit(swrolePath: string): string {
  const bin = swrolePath === 'swrole' ? 'command swrole' : `command ${quoteFish(swrolePath)}`;
  const table = completionTable();
  // One line per word, with the registry's summary as fish's description; profile names come from swrole at
  // completion time and fish takes them as they are (a command substitution's lines are never expanded again).
  const words = table.words
    .flatMap(({ key, words: list }) =>
      list.map(
        ({ word, summary }) =>
          `complete -c swrole -n ${quoteFish(`__swrole_complete_after ${quoteFish(key)}`)} -a ${quoteFish(word)}${summary ? ` -d ${quoteFish(summary)}` : ''}`,
      ),
    )
    .join('\n');
  return `# swrole shell integration for fish. Load it from ~/.config/fish/config.fish with:
#   swrole shell-init fish | source
# swrole use PROFILE   switch this shell to PROFILE (runs: swrole env PROFILE --format fish)
# swrole use --clear   unset what swrole use set and restore what the shell had before the first use (AWS_PROFILE,
#                      AWS_REGION, keys); SWROLE_PROFILE names the active profile (for prompts)
function __swrole_save --description 'swrole use: keep what the shell had before the first use'
    set -q __swrole_saved; and return 0
    set -g __swrole_saved
    for name in ${RESTORE_VARS.join(' ')}
        if set -q $name
            set -g -a __swrole_saved $name
            set -g __swrole_old_$name $$name
        end
    end
end
function __swrole_restore --description 'swrole use --clear: put back what the shell had before the first use'
    set -q __swrole_saved; or return 0
    for name in $__swrole_saved
        set -l old __swrole_old_$name
        set -gx $name $$old
        set -e $old
    end
    set -e __swrole_saved
end
function swrole --description 'switch AWS IAM roles; swrole use PROFILE changes this shell'
    if test (count $argv) -eq 0; or test "$argv[1]" != use
        ${bin} $argv
        return $status
    end
    set -e argv[1]
    switch "$argv[1]"
        case -h --help
            printf '%s\\n' 'usage: swrole use PROFILE [options]   switch this shell to PROFILE' '       swrole use                     choose the profile in a picker (on a terminal)' '       swrole use --clear             unset what swrole use set, restore what was there before'
            return 0
        case --clear
            for name in $__swrole_vars ${CLEAR_VARS.join(' ')}
                set -e $name
            end
            set -g __swrole_vars
            __swrole_restore
            return 0
        case '' '-*'
            if test (count $argv) -eq 0
                # No profile: \`env --pick\` opens the picker on the terminal (stderr) while stdout is captured here.
                set argv --pick
            else
                printf '%s\\n' 'swrole: use: name a profile: swrole use PROFILE [options], or swrole use --clear' >&2
                return 2
            end
    end
    set -l out (${bin} env $argv --format fish --names-comment | string collect)
    set -l code $pipestatus[1]
    if test "$code" -ne 0
        return $code
    end
    # What --clear unsets comes from the first line only (\`${NAMES_COMMENT} A B\`), checked to be names and
    # nothing else; never from the rest, where a multi-line value may hold text that looks like \`set -gx X\`.
    set -l names (string split -m 1 \\n -- $out)[1]
    if not string match -qr '^${NAMES_COMMENT}( [A-Za-z_][A-Za-z0-9_]*)*$' -- "$names"
        printf '%s\\n' 'swrole: use: swrole env printed no list of names (a different swrole on PATH than shell-init?)' >&2
        return 1
    end
    __swrole_save
    for name in $__swrole_vars AWS_PROFILE AWS_DEFAULT_PROFILE
        set -e $name
    end
    printf '%s\\n' $out | source
    or return $status
    set -g __swrole_vars (string split -n ' ' -- (string replace '${NAMES_COMMENT}' '' -- $names))
    # The exports set SWROLE_PROFILE to the profile used (the picked one too).
    if test "$argv[1]" != --pick
        set -gx SWROLE_PROFILE $argv[1]
    end
end

# The words between swrole and the cursor, joined by spaces, are one of $argv ("$words" joins a list).
function __swrole_complete_after --description 'swrole completion: where the cursor is'
    set -l words (commandline -opc)
    set -e words[1]
    contains -- "$words" $argv
end
complete -c swrole -f
${words}
complete -c swrole -n ${quoteFish(`__swrole_complete_after ${table.profileKeys.map(quoteFish).join(' ')}`)} -a '(${bin} __complete profiles 2>/dev/null)'
`;
}
