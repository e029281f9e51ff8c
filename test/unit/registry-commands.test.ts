// The command registry (src/registry/command-registry.ts) is the one list of commands: every declared command has a
// loader and a help text that documents its options, and nothing else is dispatched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, allCommands, visibleNames } from '../../src/registry/command-registry.js';
import { LOADERS } from '../../src/cli/command-table.js';
import { resolveTarget, suggestCommands } from '../../src/cli/dispatch.js';
import { isSwroleError } from '../../src/errors.js';

const leaves = allCommands().filter((c) => c.spec.subcommands === undefined);

test('every registered command has a lazy loader, and every loader a registered command (help is built in)', () => {
  assert.deepEqual(
    Object.keys(LOADERS).sort(),
    leaves
      .map((c) => c.path)
      .filter((p) => p !== 'help')
      .sort(),
  );
});

test('command names are plain words (the shell scripts embed them unquoted in case patterns and lists)', () => {
  for (const { path } of allCommands()) assert.match(path, /^[a-z_][a-z0-9_-]*(?: [a-z][a-z0-9-]*)?$/, path);
});

test('the visible commands, in the order `swrole --help` lists them', () => {
  assert.deepEqual(visibleNames(), [
    'list',
    'explain',
    'setup',
    'shell-init',
    'use',
    'login',
    'exec',
    'serve',
    'console',
    'env',
    'process',
    'whoami',
    'sessions',
    'doctor',
    'logout',
    'keys',
    'sso',
    'agent',
    'help',
  ]);
  assert.deepEqual(visibleNames(COMMANDS.agent.subcommands), ['claude', 'env', 'guard', 'statusline']);
  assert.deepEqual(visibleNames(COMMANDS.sso.subcommands), ['profiles']);
});

test('each command’s help documents every option the registry gives it, and no other', async () => {
  for (const { path, spec } of leaves) {
    if (path === 'help') continue;
    const { help } = await LOADERS[path as keyof typeof LOADERS]();
    const registered = Object.keys(spec.options ?? {});
    // `use` is the shell function's: it passes every option on to `swrole env`, whose help documents them.
    const documented = path === 'use' ? ['clear'] : registered;
    for (const name of documented) assert.match(help, new RegExp(`--${name}\\b`), `swrole ${path} --help lacks --${name}`);
    const listed = [...help.matchAll(/^ {2}(?:-\w, )?--([a-z][a-z-]*)/gm)].map((m) => m[1]!);
    for (const name of listed) {
      assert.ok(name === 'help' || name === 'debug' || registered.includes(name), `swrole ${path} --help lists --${name}, not registered`);
    }
  }
});

// [typed, suggestions]
const SUGGEST: Array<[string, string[]]> = [
  ['exce', ['exec']],
  ['lsit', ['list']],
  ['lst', ['list']],
  ['whoam', ['whoami']],
  ['logn', ['login']],
  ['shell', ['shell-init']],
  ['zzzzz', []],
  ['doctr', ['doctor']],
];
for (const [typed, expected] of SUGGEST) {
  test(`did you mean: ${typed} → ${expected.join(', ') || 'nothing'}`, () => {
    assert.deepEqual(suggestCommands(typed, visibleNames()), expected);
  });
}

test('an unknown command or subcommand is a usage error with "did you mean"; hidden commands are never suggested', () => {
  const refused = (words: string[]) => {
    try {
      resolveTarget(words);
    } catch (error) {
      assert.ok(isSwroleError(error));
      return error;
    }
    throw new Error(`${words.join(' ')} resolved`);
  };
  const top = refused(['exce', 'prod']);
  assert.equal(top.code, 'E_USAGE');
  assert.equal(top.exit, 2);
  assert.equal(top.message, 'unknown command "exce"');
  assert.match(top.hint!, /did you mean "exec"\?/);
  const sub = refused(['agent', 'claud']);
  assert.equal(sub.message, 'agent: unknown subcommand "claud" (claude, env, guard, statusline)');
  assert.match(sub.hint!, /did you mean "claude"\?/);
  assert.doesNotMatch(refused(['agent', 'env-file-hok']).hint!, /env-file-hook/);
  assert.doesNotMatch(refused(['__complet']).hint!, /__complete/);
});

test('resolving walks groups and leaves the rest as arguments; hidden commands still run', () => {
  assert.deepEqual(
    [resolveTarget(['agent', 'claude', 'p', '--read-only'])].map((t) => [t.path, t.args]),
    [['agent claude', ['p', '--read-only']]],
  );
  assert.equal(resolveTarget(['agent']).path, 'agent');
  assert.deepEqual(resolveTarget(['agent', '--help']).args, ['--help']);
  assert.equal(resolveTarget(['agent', 'env-file-hook']).path, 'agent env-file-hook');
  assert.equal(resolveTarget(['__complete', 'profiles']).path, '__complete');
});
