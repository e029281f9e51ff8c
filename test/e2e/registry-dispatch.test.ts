// The built binary dispatches, lists and explains exactly the commands of the registry (src/registry/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, allCommands, visibleNames } from '../../src/registry/command-registry.js';
import { DIST, ensureBuilt } from '../helpers/swrole-run.js';

ensureBuilt();
const home = mkdtempSync(join(tmpdir(), 'swrole-dispatch-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));

function swrole(args: string[]) {
  const r = spawnSync(process.execPath, [DIST, ...args], {
    env: { PATH: process.env.PATH, HOME: home, SWROLE_HOME: join(home, 'state') },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The names in a help text's `Commands:` or `Subcommands:` section. */
const listed = (help: string, section: string) =>
  [...(help.split(`${section}:\n`)[1] ?? '').split('\n\n')[0]!.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]);

test('swrole --help lists exactly the visible registered commands, in registry order', () => {
  const r = swrole(['--help']);
  assert.equal(r.code, 0);
  assert.deepEqual(listed(r.stdout, 'Commands'), visibleNames());
  assert.equal(swrole(['help']).stdout, r.stdout);
  const bare = swrole([]);
  assert.equal(bare.code, 2, 'no command is a usage error');
  assert.equal(bare.stderr, r.stdout);
});

test('swrole help COMMAND is swrole COMMAND --help, for every registered command', () => {
  for (const { path, spec } of allCommands()) {
    if (spec.subcommands !== undefined || path === 'help') continue;
    const words = path.split(' ');
    const viaHelp = swrole(['help', ...words]);
    const viaFlag = swrole([...words, '--help']);
    assert.equal(viaHelp.code, 0, `${path}: ${viaHelp.stderr}`);
    assert.equal(viaFlag.code, 0, `${path}: ${viaFlag.stderr}`);
    assert.equal(viaHelp.stdout, viaFlag.stdout, path);
    if (spec.aliasOf === undefined) {
      assert.match(viaHelp.stdout, new RegExp(`^Usage: swrole ${path}\\b`), path);
      continue;
    }
    // An old name: the help of the command it now names, which says the old name still works.
    const target = [...words.slice(0, -1), spec.aliasOf];
    assert.equal(viaHelp.stdout, swrole([...target, '--help']).stdout, path);
    assert.match(viaHelp.stdout, new RegExp(`^Usage: swrole ${target.join(' ')}\\b`), path);
    assert.ok(viaHelp.stdout.replace(/\s+/g, ' ').includes(`\`${path}\` is the old name`), path);
  }
});

test('a group lists its visible subcommands; alone it is a usage error', () => {
  const help = swrole(['agent', '--help']);
  assert.equal(help.code, 0);
  assert.deepEqual(listed(help.stdout, 'Subcommands'), visibleNames(COMMANDS.agent.subcommands));
  assert.equal(swrole(['help', 'agent']).stdout, help.stdout);
  const bare = swrole(['agent']);
  assert.equal(bare.code, 2);
  assert.equal(bare.stderr, help.stdout);
});

test('unknown commands and subcommands: exit 2 with "did you mean", no stack', () => {
  const top = swrole(['exce', 'prod', '--', 'true']);
  assert.equal(top.code, 2);
  assert.equal(top.stdout, '');
  assert.equal(top.stderr, 'swrole: unknown command "exce"\n  hint: did you mean "exec"? (`swrole --help` lists them all)\n');
  const sub = swrole(['agent', 'claud', 'prod']);
  assert.equal(sub.code, 2);
  assert.match(
    sub.stderr,
    /^swrole: agent: unknown subcommand "claud" \(claude, env, guard, statusline\)\n {2}hint: did you mean "claude"\?/,
  );
  const nothing = swrole(['frobnicate']);
  assert.equal(nothing.code, 2);
  assert.match(nothing.stderr, /hint: run `swrole --help` for the list/);
  const helpOfUnknown = swrole(['help', 'exce']);
  assert.equal(helpOfUnknown.code, 2);
  assert.match(helpOfUnknown.stderr, /did you mean "exec"/);
});
