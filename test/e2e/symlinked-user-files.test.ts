// Issue 15 (medium): symlinked user files stay symlinks. A dotfiles repo links ~/.aws/config and
// .claude/settings.local.json; `setup` and `agent claude` edit the file the link points at, atomically and beside
// it (as `aws configure set` does), back up its bytes, and give them back on --remove.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { runSwrole, type Sandbox } from '../helpers/swrole-run.js';
import { projectKey } from '../../src/platform/project-key.js';

let box: Sandbox;
let dotfiles: string;

const swrole = async (args: string[], extra: Record<string, string> = {}) => {
  const result = await runSwrole(args, { ...box.env, ...extra });
  assert.equal(result.code, 0, result.stderr);
  return result;
};
const noTempFiles = (dir: string) =>
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.includes('.swrole-') && n.endsWith('.tmp')),
    [],
  );

useEmulatorSandbox((fixture) => {
  ({ box } = fixture);
  dotfiles = join(box.dir, 'dotfiles');
  mkdirSync(dotfiles);
});

describe('symlinked user files (issue 15)', () => {
  it('setup on a symlinked ~/.aws/config edits the target in place: the link stays, the backup holds the old bytes, --remove gives them back', async () => {
    const target = join(dotfiles, 'aws-config');
    const original = `${readFileSync(box.configFile, 'utf8')}# last line, no newline`;
    writeFileSync(target, original);
    chmodSync(target, 0o640);
    const past = new Date(Date.now() - 60_000);
    utimesSync(target, past, past);
    mkdirSync(join(box.home, '.aws'), { recursive: true });
    const link = join(box.home, '.aws', 'config');
    symlinkSync('../../dotfiles/aws-config', link);
    const env = { AWS_CONFIG_FILE: link };

    await swrole(['setup', 'nomfa'], env);
    assert.ok(lstatSync(link).isSymbolicLink(), 'still a link');
    assert.equal(readlinkSync(link), '../../dotfiles/aws-config', 'pointing where it did');
    const edited = readFileSync(target, 'utf8');
    assert.ok(edited.startsWith(original) && edited.includes('[profile nomfa.swrole]'), edited);
    assert.equal(statSync(target).mode & 0o777, 0o640, "the target's mode is kept");
    assert.equal(readFileSync(`${link}.swrole-backup`, 'utf8'), original, 'the backup holds the bytes before the edit');
    noTempFiles(dotfiles);
    noTempFiles(join(box.home, '.aws'));
    // The profile works through the link.
    const creds = await swrole(['process', 'nomfa.swrole'], env);
    assert.match(creds.stdout, /"AccessKeyId":"ASIA/);

    await swrole(['setup', 'nomfa', '--remove'], env);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(target, 'utf8'), original, 'byte for byte');
  });

  it('agent claude on a symlinked .claude/settings.local.json edits the target: link kept, backup correct, --remove restores it', async () => {
    const target = join(dotfiles, 'claude-settings.json');
    const original = '{\n  "env": { "AWS_PROFILE": "mine" },\n  "permissions": { "allow": ["Bash(ls:*)"] }\n}\n';
    writeFileSync(target, original);
    chmodSync(target, 0o644);
    const project = join(box.dir, 'project');
    mkdirSync(join(project, '.claude'), { recursive: true });
    const link = join(project, '.claude', 'settings.local.json');
    symlinkSync(target, link);

    await swrole(['agent', 'claude', 'nomfa', '--dir', project]);
    assert.ok(lstatSync(link).isSymbolicLink(), 'still a link');
    const settings = JSON.parse(readFileSync(target, 'utf8')) as { env: Record<string, string> };
    assert.equal(settings.env.AWS_PROFILE, 'nomfa@agent');
    assert.ok(settings.env.AWS_CONFIG_FILE?.startsWith(box.stateDir));
    assert.equal(statSync(target).mode & 0o777, 0o644);
    const backup = join(box.stateDir, 'claude-settings', `${projectKey(project)}.backup`);
    assert.equal(readFileSync(backup, 'utf8'), original, 'the backup holds the bytes before the edit');
    noTempFiles(dotfiles);
    noTempFiles(join(project, '.claude'));

    await swrole(['agent', 'claude', '--remove', '--dir', project]);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(target, 'utf8'), original, 'byte for byte');
  });
});
