// The one parse of a command's arguments (src/registry/split-command-line.ts), shared by the full path, the fast
// path, --help detection and the agent guard: where swrole's own arguments end and what the fast path may replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS } from '../../src/registry/command-registry.js';
import { fastPathAllows, isReplayable, splitCommandLine, wantsHelp } from '../../src/registry/split-command-line.js';

// [argv after `exec`, swrole's own arguments, the child command line]
const EXEC: Array<[string[], string[], string[]]> = [
  [['p', '--', 'aws', 's3', 'ls'], ['p'], ['aws', 's3', 'ls']],
  [['p', 'aws', 's3', 'ls'], ['p'], ['aws', 's3', 'ls']],
  // issue 15: the child's own `--` belongs to the child
  [['p', 'ssh', 'bastion', '--', 'rm', '-rf', 'x'], ['p'], ['ssh', 'bastion', '--', 'rm', '-rf', 'x']],
  [['p', '--', 'ssh', 'bastion', '--', 'rm'], ['p'], ['ssh', 'bastion', '--', 'rm']],
  // flags after the child's first word are the child's, even swrole's own names
  [['p', 'ls', '-h', '--help', '--region', 'x', '--debug'], ['p'], ['ls', '-h', '--help', '--region', 'x', '--debug']],
  [
    ['p', '--region', 'eu-west-1', 'aws', 's3', 'ls'],
    ['p', '--region', 'eu-west-1'],
    ['aws', 's3', 'ls'],
  ],
  [['--region', 'eu-west-1', 'p', 'aws'], ['--region', 'eu-west-1', 'p'], ['aws']],
  [['--region=eu-west-1', 'p', '--duration=1h', 'aws'], ['--region=eu-west-1', 'p', '--duration=1h'], ['aws']],
  // --profile instead of the positional: the first positional starts the child
  [
    ['--profile', 'p', 'aws', 's3'],
    ['--profile', 'p'],
    ['aws', 's3'],
  ],
  [['--profile=p', '--', 'aws'], ['--profile=p'], ['aws']],
  [['p', '--profile', 'p', 'aws'], ['p', '--profile', 'p'], ['aws']],
  // `--` before the profile ends swrole's arguments: PROFILE comes from AWS_PROFILE
  [['--', 'p', 'aws'], [], ['p', 'aws']],
  // a value is consumed whatever it looks like (parseArgs then refuses a dash-led one)
  [['p', '--region', '--', 'aws'], ['p', '--region', '--'], ['aws']],
  [['p', '--bogus', 'aws'], ['p', '--bogus'], ['aws']],
  [['p', '--bogus', '--', 'aws'], ['p', '--bogus'], ['aws']],
  [['p', '-', 'x'], ['p'], ['-', 'x']],
  [['p'], ['p'], []],
  [[], [], []],
];

for (const [args, own, child] of EXEC) {
  test(`exec ${args.join(' ')} → own [${own.join(' ')}], child [${child.join(' ')}]`, () => {
    const line = splitCommandLine(COMMANDS.exec, args);
    assert.deepEqual(line.own, own);
    assert.deepEqual(line.child, child);
    assert.deepEqual(args.slice(line.childAt), child);
  });
}

test('a command without a child: every argument is its own; after `--` they are positionals', () => {
  const line = splitCommandLine(COMMANDS.process, ['--region', 'x', 'p', '--', '--debug']);
  assert.deepEqual(line.own, ['--region', 'x', 'p', '--', '--debug']);
  assert.deepEqual(line.child, []);
  assert.deepEqual(line.positionals, [2, 4]);
  assert.deepEqual(
    line.options.map((o) => [o.name, o.value]),
    [['region', 'x']],
  );
});

test('short options: -f VALUE, -fVALUE, -h; unknown shorts are unnamed', () => {
  const line = splitCommandLine(COMMANDS.env, ['-f', 'json', '-fdotenv', '-h', '-x', 'p']);
  assert.deepEqual(
    line.options.map((o) => [o.name, o.value]),
    [
      ['format', 'json'],
      ['format', 'dotenv'],
      ['help', undefined],
      [undefined, undefined],
    ],
  );
  assert.deepEqual(line.positionals, [5]);
});

// [command, argv, may the fast path replay it]
const REPLAY: Array<[keyof typeof COMMANDS, string[], boolean]> = [
  ['process', ['p'], true],
  ['process', ['--profile', 'p', '--region', 'x', '--duration', '1h', '--source-config', 'c', '--source-credentials', 'k'], true],
  ['process', ['p', '--read-only', '--policy', 'f.json', '--agent', 'claude'], true],
  ['process', ['p', '--debug'], false],
  ['process', ['p', '--no-cache'], false],
  ['process', ['p', '--mfa-code', '123456'], false],
  ['process', ['p', '--mfa-code=123456'], false],
  ['process', ['p', '-h'], false],
  ['process', ['p', '--help'], false],
  ['process', ['p', '--bogus'], false],
  ['process', ['p', '--region'], false],
  ['process', ['p', '--read-only=yes'], false],
  ['process', ['p', '-x'], false],
  ['env', ['p', '-f', 'json'], true],
  ['env', ['p', '--format=fish'], true],
  ['exec', ['p', '--force', '--', 'x'], false],
  ['exec', ['p', 'x', '--debug', '--no-cache'], true],
  ['login', ['p'], false],
  ['whoami', ['p'], false],
];

for (const [command, args, expected] of REPLAY) {
  test(`fast path allow-list: ${command} ${args.join(' ')} → ${expected ? 'replay' : 'full path'}`, () => {
    assert.equal(isReplayable(COMMANDS[command], splitCommandLine(COMMANDS[command], args)), expected);
  });
}

test('the allow-list is the registry: an option not marked fastPath is never replayed', () => {
  for (const command of ['process', 'env', 'exec'] as const) {
    const options = COMMANDS[command].options;
    for (const [name, spec] of Object.entries(options)) {
      assert.equal(fastPathAllows(COMMANDS[command], [name]), 'fastPath' in spec && spec.fastPath === true, `${command} --${name}`);
    }
    assert.equal(fastPathAllows(COMMANDS[command], ['help']), false);
    assert.equal(fastPathAllows(COMMANDS[command], ['debug']), false);
  }
  assert.equal(fastPathAllows(COMMANDS.login, []), false, 'a command not marked fastPath is never replayed');
});

test('--help is asked for only among swrole’s own arguments', () => {
  assert.equal(wantsHelp(COMMANDS.exec, ['p', '--help']), true);
  assert.equal(wantsHelp(COMMANDS.exec, ['-h']), true);
  assert.equal(wantsHelp(COMMANDS.exec, ['p', 'ls', '-h']), false);
  assert.equal(wantsHelp(COMMANDS.exec, ['p', '--', 'ls', '--help']), false);
  assert.equal(wantsHelp(COMMANDS.list, ['--json', '--help']), true);
  assert.equal(wantsHelp(COMMANDS.list, ['--', '--help']), false);
  assert.equal(wantsHelp(COMMANDS.explain, ['--profile', '--help']), false, 'a value, not a flag');
});
