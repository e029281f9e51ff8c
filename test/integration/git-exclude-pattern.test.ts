// Issue 15 (low): the git exclude pattern is glob-escaped. A project under `svc[1]/` in a monorepo got the pattern
// `/svc[1]/.claude/settings.local.json`, which git reads as a bracket expression (it matches `svc1/`), so the
// settings file stayed un-ignored. `git check-ignore` is the oracle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunGit, ensureGitIgnored, escapeGitPattern } from '../../src/integrations/git-ignore.js';
import { SETTINGS_REL_PATH } from '../../src/agent/claude/edit-claude-settings.js';

const GIT_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const ignored = (cwd: string, path: string) => spawnSync('git', ['check-ignore', '-q', '--', path], { cwd, env: GIT_ENV }).status === 0;

const patterns: Array<[string, string]> = [
  ['.claude/settings.local.json', '.claude/settings.local.json'],
  ['svc[1]/.claude/settings.local.json', 'svc\\[1]/.claude/settings.local.json'],
  ['a*b?/c\\d/x', 'a\\*b\\?/c\\\\d/x'],
  ['trailing /sp  ', 'trailing /sp\\ \\ '],
];
for (const [path, expected] of patterns) {
  test(`escapeGitPattern: ${JSON.stringify(path)}`, () => assert.equal(escapeGitPattern(path), expected));
}

for (const name of ['svc[1]', 'a*b', 'what?', 'x[!y]z']) {
  test(`a project under ${name}/ in a repository gets an exclude entry git applies to exactly its settings file`, async () => {
    const repo = mkdtempSync(join(tmpdir(), 'swrole-git-exclude-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: repo, env: GIT_ENV });
      const project = join(repo, name);
      // Siblings a glob would catch: svc1/, aXb/, whatX/, xyz/ ...
      const decoys = [name.replace(/\[!?([^\]]*)\]/, '$1').replace(/[*?]/, 'X'), `${name}-other`];
      for (const dir of [project, ...decoys.map((d) => join(repo, d))]) mkdirSync(join(dir, '.claude'), { recursive: true });
      assert.equal(ignored(project, SETTINGS_REL_PATH), false, 'not ignored before');

      assert.equal(await ensureGitIgnored(project, SETTINGS_REL_PATH, createRunGit(GIT_ENV)), 'excluded');
      assert.equal(ignored(project, SETTINGS_REL_PATH), true, `git ignores ${name}/${SETTINGS_REL_PATH}`);
      for (const decoy of decoys)
        assert.equal(ignored(join(repo, decoy), SETTINGS_REL_PATH), false, `but not ${decoy}/${SETTINGS_REL_PATH}`);
      assert.equal(await ensureGitIgnored(project, SETTINGS_REL_PATH, createRunGit(GIT_ENV)), 'already-ignored', 'and it is written once');
      assert.equal(readFileSync(join(repo, '.git', 'info', 'exclude'), 'utf8').split('added by swrole').length, 2);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
}
