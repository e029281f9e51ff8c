// Completion in the real shells (bash, zsh, fish; pwsh's script text): it offers exactly the registered, visible
// commands (src/registry/command-registry.ts), and profile names are data, never code (issue 8 §1): bash once ran a
// `$(...)` found in a profile name (compgen -W expands its word list) and turned O'Brien into OBrien.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, allCommands, visibleNames } from '../../src/registry/command-registry.js';
import { SHELL_NAMES } from '../../src/registry/option-specs.js';
import { renderShellInit } from '../../src/shell/render-shell-init.js';

let dir = '';
let env: NodeJS.ProcessEnv = {};
/** Each would create a file under `dir` if a shell ran it. */
let hostile: string[] = [];
const PLAIN = ['dev', 'prod admin', 'staging'];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'swrole-complete-'));
  hostile = [
    `$(touch ${dir}/pwned-dollar)`,
    `\`touch ${dir}/pwned-backtick\``,
    `x;touch ${dir}/pwned-semicolon`,
    "O'Brien",
    'a"b',
    '*',
    'back\\slash',
    'tab\\tname',
    '{a,b}',
    '~root',
    '-dash',
    '  spaced  out ',
  ];
  writeFileSync(join(dir, 'names'), `${[...PLAIN, ...hostile].join('\n')}\n`);
  // A stand-in for the binary: completion only ever asks it for the profile names.
  writeFileSync(
    join(dir, 'swrole'),
    `#!/bin/sh\nif [ "$1 $2" = "__complete profiles" ]; then cat "${dir}/names"; exit 0; fi\necho "unexpected: $*" >&2\nexit 9\n`,
  );
  chmodSync(join(dir, 'swrole'), 0o755);
  // Files a glob would match, were a `*` ever expanded.
  writeFileSync(join(dir, 'some-file'), '');
  for (const shell of ['bash', 'zsh', 'fish'] as const) writeFileSync(join(dir, `init.${shell}`), renderShellInit(shell, 'swrole'));
  env = { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, LANG: 'C.UTF-8', TERM: 'dumb' };
});
after(() => rmSync(dir, { recursive: true, force: true }));

const pwned = () => readdirSync(dir).filter((f) => f.startsWith('pwned'));

function shell(argv: string[]): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { env, cwd: dir, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, `${argv[0]}: ${r.stderr}`);
  return r.stdout;
}

function requireShell(t: TestContext, name: string): boolean {
  if (spawnSync('sh', ['-c', `command -v ${name}`]).status === 0) return true;
  if (process.env.CI === 'true') assert.fail(`${name} is not installed`);
  t.skip(`${name} is not installed`);
  return false;
}

/** Key (the words between swrole and the cursor) → what completion must offer there. */
function expected(): Array<[string[], string[]]> {
  const profiles = [...PLAIN, ...hostile];
  const cases: Array<[string[], string[]]> = [
    [[], visibleNames()],
    [['agent'], visibleNames(COMMANDS.agent.subcommands)],
    [['shell-init'], [...SHELL_NAMES]],
    [['help'], visibleNames()],
  ];
  for (const { path, spec } of allCommands()) {
    if (!spec.hidden && (spec.operand === 'profile' || spec.operand === 'profiles')) cases.push([path.split(' '), profiles]);
  }
  return cases;
}

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('completion offers exactly the registry, and profile names as data', () => {
  it('bash: candidates, each inserted text reading back as exactly the name; nothing ran', (t) => {
    if (!requireShell(t, 'bash')) return;
    for (const [key, want] of expected()) {
      const words = ['swrole', ...key, ''].map((w) => `'${w}'`).join(' ');
      // What the user's shell does with an inserted candidate: parse it as a word. %q output is safe to eval; a
      // candidate that is not would run its payload here and the pwned check below would see it.
      const out = shell([
        'bash',
        '--norc',
        '--noprofile',
        '-c',
        `source ./init.bash
COMP_WORDS=(${words}); COMP_CWORD=${key.length + 1}; _swrole_complete
for r in "\${COMPREPLY[@]}"; do eval "w=($r)"; printf '%s\\0' "\${w[@]}"; done`,
      ]);
      assert.deepEqual(sorted(out.split('\0').slice(0, -1)), sorted(want), `swrole ${key.join(' ')} <TAB>`);
    }
    const prefixed = shell([
      'bash',
      '--norc',
      '--noprofile',
      '-c',
      `source ./init.bash
COMP_WORDS=(swrole use "O"); COMP_CWORD=2; _swrole_complete; printf '%s\\n' "\${COMPREPLY[@]}"
COMP_WORDS=(swrole use "prod"); COMP_CWORD=2; _swrole_complete; printf '%s\\n' "\${COMPREPLY[@]}"
COMP_WORDS=(swrole agent "s"); COMP_CWORD=2; _swrole_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ]);
    assert.deepEqual(prefixed.trim().split('\n'), ["O\\'Brien", 'prod\\ admin', 'statusline']);
    assert.deepEqual(pwned(), []);
  });

  it('zsh: the candidates handed to compadd are exactly the names; nothing ran', (t) => {
    if (!requireShell(t, 'zsh')) return;
    for (const [key, want] of expected()) {
      const words = ['swrole', ...key, ''].map((w) => `'${w}'`).join(' ');
      // compadd is a builtin of the completion system: a function of the same name records what it is given.
      const out = shell([
        'zsh',
        '-f',
        '-c',
        `source ./init.zsh
compadd() { [[ $1 == -- ]] && shift; printf '%s\\0' "$@"; }
words=(${words}); CURRENT=${key.length + 2}; _swrole`,
      ]);
      assert.deepEqual(sorted(out.split('\0').slice(0, -1)), sorted(want), `swrole ${key.join(' ')} <TAB>`);
    }
    assert.deepEqual(pwned(), []);
  });

  it('fish: complete -C lists exactly the names (descriptions aside); nothing ran', (t) => {
    if (!requireShell(t, 'fish')) return;
    for (const [key, want] of expected()) {
      const line = ['swrole', ...key, ''].join(' ');
      const out = shell(['fish', '--no-config', '-c', `source ./init.fish; complete -C '${line}'`]);
      const offered = out.split('\n').filter((l) => l !== '');
      // fish splits a candidate at a tab into text and description: the literal "\t" name has no real tab.
      assert.deepEqual(sorted(offered.map((l) => l.split('\t')[0]!)), sorted(want), `swrole ${key.join(' ')} <TAB>`);
    }
    const described = shell(['fish', '--no-config', '-c', "source ./init.fish; complete -C 'swrole ex'"]);
    assert.deepEqual(described.trim().split('\n'), [`exec\t${COMMANDS.exec.summary}`, `explain\t${COMMANDS.explain.summary}`]);
    assert.deepEqual(pwned(), []);
  });

  it('pwsh (not installed here): the script offers the registry and inserts names as verbatim strings', () => {
    const text = renderShellInit('pwsh', 'swrole');
    const list = (key: string) => {
      const m = new RegExp(`^ {4}'${key}' = @\\((.*)\\)$`, 'm').exec(text);
      return m ? [...m[1]!.matchAll(/'([^']*)'/g)].map((x) => x[1]) : undefined;
    };
    assert.deepEqual(list(''), visibleNames());
    assert.deepEqual(list('agent'), visibleNames(COMMANDS.agent.subcommands));
    assert.deepEqual(list('shell-init'), [...SHELL_NAMES]);
    const profileKeys = allCommands()
      .filter(({ spec }) => !spec.hidden && (spec.operand === 'profile' || spec.operand === 'profiles'))
      .map(({ path }) => `'${path}'`)
      .join(', ');
    assert.ok(text.includes(`if (@(${profileKeys}) -contains $key)`), 'profile names after every profile command');
    // Anything but a plain word becomes '...' with quotes (and typographic quotes) doubled: never evaluated.
    assert.ok(text.includes(`"'" + ($_ -replace "['\\u2018-\\u201B]", '$0$0') + "'"`));
    assert.match(text, /StartsWith\(\$prefix, \[System\.StringComparison\]::OrdinalIgnoreCase\)/);
    assert.doesNotMatch(text, /-like "\$wordToComplete\*"/, 'no wildcard matching of what was typed');
    for (const word of ['serve', 'console', 'doctor']) assert.ok(text.includes(`'${word}'`), `${word} is offered`);
  });

  it('the stand-in was asked, and no glob or payload left a trace', () => {
    assert.ok(existsSync(join(dir, 'names')));
    assert.deepEqual(pwned(), []);
  });
});
