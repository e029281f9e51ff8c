import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectClaudeEnvironment } from '../../src/agent/claude/claude-environment.js';
import { readSettingsLayers, settingsLayerFiles, type SettingsLayer } from '../../src/agent/claude/claude-settings-layers.js';

const layer = (name: SettingsLayer['name'], env: Record<string, string>, awsCredentialExport?: string): SettingsLayer => ({
  name,
  file: `/${name}.json`,
  env,
  awsCredentialExport,
});

// [label, layers (highest first), shell env, bedrock from, scrub from]
const CASES: Array<[string, SettingsLayer[], Record<string, string>, string | undefined, string | undefined]> = [
  ['nothing set', [], {}, undefined, undefined],
  ['Bedrock in the shell', [], { CLAUDE_CODE_USE_BEDROCK: '1' }, 'the environment', undefined],
  ['Bedrock in user settings (the common setup)', [layer('user', { CLAUDE_CODE_USE_BEDROCK: 'true' })], {}, '/user.json', undefined],
  ['Bedrock in managed settings', [layer('managed', { CLAUDE_CODE_USE_BEDROCK: '1' })], {}, '/managed.json', undefined],
  [
    'Bedrock off in local beats on in user',
    [layer('local', { CLAUDE_CODE_USE_BEDROCK: '0' }), layer('user', { CLAUDE_CODE_USE_BEDROCK: '1' })],
    {},
    undefined,
    undefined,
  ],
  [
    'settings beat the shell',
    [layer('user', { CLAUDE_CODE_USE_BEDROCK: 'false' })],
    { CLAUDE_CODE_USE_BEDROCK: '1' },
    undefined,
    undefined,
  ],
  ['empty means off', [], { CLAUDE_CODE_USE_BEDROCK: '' }, undefined, undefined],
  ['scrub in the shell', [], { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1' }, undefined, 'the environment'],
  ['scrub in project settings', [layer('project', { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1' })], {}, undefined, '/project.json'],
  ['both', [layer('user', { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1', CLAUDE_CODE_USE_BEDROCK: '1' })], {}, '/user.json', '/user.json'],
];

for (const [label, layers, env, bedrock, scrub] of CASES) {
  test(`claude environment: ${label}`, () => {
    const found = detectClaudeEnvironment(layers, env);
    assert.equal(found.bedrock?.from, bedrock);
    assert.equal(found.scrub?.from, scrub);
  });
}

test('claude environment: an awsCredentialExport in any layer is found, the highest first', () => {
  const found = detectClaudeEnvironment([layer('local', {}), layer('user', {}, 'swrole process bedrock')], {});
  assert.deepEqual(found.credentialExport, { command: 'swrole process bedrock', file: '/user.json' });
  assert.equal(detectClaudeEnvironment([layer('user', {})], {}).credentialExport, undefined);
});

test('settings layers: the files Claude Code reads, local at the git root and project where it starts; unreadable ones are empty', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swrole-layers-'));
  const home = join(dir, 'home');
  const root = join(dir, 'repo');
  const sub = join(root, 'sub');
  for (const d of [join(home, '.claude'), join(root, '.claude'), join(sub, '.claude')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(home, '.claude', 'settings.json'), '{"env":{"CLAUDE_CODE_USE_BEDROCK":"1","N":3},"awsCredentialExport":"x"}');
  writeFileSync(join(root, '.claude', 'settings.local.json'), '{ not json');
  writeFileSync(join(sub, '.claude', 'settings.json'), '\uFEFF{"env":{"CLAUDE_CODE_SUBPROCESS_ENV_SCRUB":"1"}}');
  const files = settingsLayerFiles({ env: {}, homedir: home, platform: 'linux' }, root, sub);
  assert.deepEqual(
    files.map((f) => f.name),
    ['managed', 'local', 'project', 'user'],
  );
  assert.equal(files[1]!.file, join(root, '.claude', 'settings.local.json'));
  assert.equal(files[2]!.file, join(sub, '.claude', 'settings.json'));
  const layers = readSettingsLayers(files.slice(1));
  assert.deepEqual(layers[0]!.env, {});
  assert.deepEqual(layers[1]!.env, { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1' });
  assert.deepEqual(layers[2]!.env, { CLAUDE_CODE_USE_BEDROCK: '1' });
  assert.equal(layers[2]!.awsCredentialExport, 'x');
  const custom = settingsLayerFiles({ env: { CLAUDE_CONFIG_DIR: '/etc/cc' }, homedir: home, platform: 'linux' }, root);
  assert.equal(custom[3]!.file, '/etc/cc/settings.json');
});
