import { CLEAR_VARS, RESTORE_VARS, completionTable } from './completion-words.js';
import { quotePwsh } from '../output/shell-quote.js';
import { NAMES_COMMENT } from '../output/render-env.js';

const psList = (words: readonly string[]): string => `@(${words.map(quotePwsh).join(', ')})`;

/**
 * The PowerShell wrapper (pwsh 7 and Windows PowerShell 5.1): `swrole use P` runs `swrole env P --format pwsh`
 * and Invoke-Expression's it in this session. Not exercised by the test suite (no pwsh in Debian's archive).
 */
export function renderPwshInit(swrolePath: string): string {
  const locate =
    swrolePath === 'swrole'
      ? `(Get-Command -Name 'swrole' -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source`
      : quotePwsh(swrolePath);
  const table = completionTable();
  return `# swrole shell integration for PowerShell. Load it from $PROFILE with:
#   swrole shell-init pwsh | Out-String | Invoke-Expression
# swrole use PROFILE   switch this session to PROFILE (runs: swrole env PROFILE --format pwsh)
# swrole use --clear   remove what swrole use set and restore what the session had before the first use
#                      (AWS_PROFILE, AWS_REGION, keys); $env:SWROLE_PROFILE names the active profile (for prompts)
if ($null -eq $global:SwroleVars) { $global:SwroleVars = @() }
function global:swrole {
  $bin = ${locate}
  if ($args.Count -eq 0 -or $args[0] -ne 'use') { & $bin @args; return }
  $rest = @($args | Select-Object -Skip 1)
  $first = if ($rest.Count -gt 0) { [string]$rest[0] } else { '' }
  if ($first -eq '-h' -or $first -eq '--help') {
    'usage: swrole use PROFILE [options]   switch this session to PROFILE'
    '       swrole use                     choose the profile in a picker (on a terminal)'
    '       swrole use --clear             remove what swrole use set, restore what was there before'
    return
  }
  if ($first -eq '--clear') {
    foreach ($name in @($global:SwroleVars) + ${psList(CLEAR_VARS)}) { Remove-Item -Path "Env:$name" -ErrorAction SilentlyContinue }
    $global:SwroleVars = @()
    if ($null -ne $global:SwroleSaved) {
      foreach ($name in @($global:SwroleSaved.Keys)) { Set-Item -Path "Env:$name" -Value $global:SwroleSaved[$name] }
      $global:SwroleSaved = $null
    }
    return
  }
  if ($rest.Count -eq 0) {
    # No profile: 'env --pick' opens the picker on the terminal (stderr) while stdout is captured here.
    $rest = @('--pick')
  } elseif ($first -eq '' -or $first.StartsWith('-')) {
    [Console]::Error.WriteLine('swrole: use: name a profile: swrole use PROFILE [options], or swrole use --clear')
    $global:LASTEXITCODE = 2
    return
  }
  $out = @(& $bin env @rest --format pwsh --names-comment)
  if ($LASTEXITCODE -ne 0) { return }
  # What --clear removes comes from the first line only ('${NAMES_COMMENT} A B'), checked to be names and
  # nothing else; never from the rest, where a multi-line value may hold text that looks like '$env:X ='.
  $names = if ($out.Count -gt 0) { [string]$out[0] } else { '' }
  if ($names -cnotmatch '^${NAMES_COMMENT}( [A-Za-z_][A-Za-z0-9_]*)*$') {
    [Console]::Error.WriteLine('swrole: use: swrole env printed no list of names (a different swrole on PATH than shell-init?)')
    $global:LASTEXITCODE = 1
    return
  }
  $text = ($out -join [Environment]::NewLine)
  if ($null -eq $global:SwroleSaved) {
    $global:SwroleSaved = @{}
    foreach ($name in ${psList(RESTORE_VARS)}) {
      $old = [Environment]::GetEnvironmentVariable($name)
      if ($null -ne $old) { $global:SwroleSaved[$name] = $old }
    }
  }
  foreach ($name in @($global:SwroleVars) + @('AWS_PROFILE', 'AWS_DEFAULT_PROFILE')) { Remove-Item -Path "Env:$name" -ErrorAction SilentlyContinue }
  Invoke-Expression $text
  $global:SwroleVars = @($names.Substring(${NAMES_COMMENT.length}).Split(' ', [System.StringSplitOptions]::RemoveEmptyEntries))
  # The exports set SWROLE_PROFILE to the profile used (the picked one too).
  if ($rest[0] -ne '--pick') { $env:SWROLE_PROFILE = $first }
}

Register-ArgumentCompleter -Native -CommandName swrole -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })
  $position = if ($wordToComplete) { $words.Count - 1 } else { $words.Count }
  $key = if ($position -gt 1) { $words[1..($position - 1)] -join ' ' } else { '' }
  $table = @{
${table.words.map(({ key, words }) => `    ${quotePwsh(key)} = ${psList(words.map((w) => w.word))}`).join('\n')}
  }
  $candidates = @()
  if (${psList(table.profileKeys)} -contains $key) { $candidates = @(& ${locate} __complete profiles 2>$null) }
  elseif ($table.ContainsKey($key)) { $candidates = $table[$key] }
  $prefix = if ($wordToComplete -like "'*") { $wordToComplete.Substring(1).Replace("''", "'") } else { $wordToComplete }
  # Profile names are data: compared as text (not -like, whose [ ] * ? are wildcards) and inserted as a verbatim
  # string unless plain, so a name is never evaluated ($(...), @, ;) nor split at a space.
  $candidates | Where-Object { $_.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase) } | ForEach-Object {
    $text = if ($_ -match '^[A-Za-z0-9_][A-Za-z0-9_.-]*$') { $_ } else { "'" + ($_ -replace "['\\u2018-\\u201B]", '$0$0') + "'" }
    [System.Management.Automation.CompletionResult]::new($text, $_, 'ParameterValue', $_)
  }
}
`;
}
