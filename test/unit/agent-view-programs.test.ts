import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCredentialProcessCommand } from '../../src/integrations/credential-process-command.js';
import { commandPrograms, projectViewPaths, viewsWithMissingPrograms } from '../../src/agent/view/agent-view-store.js';

test('commandPrograms reads back node and swrole as renderCredentialProcessCommand quotes them', () => {
  for (const [node, self] of [
    ['/usr/bin/node', '/opt/swrole/dist/swrole.js'],
    ["/home/o'neil/.nvm/versions/node/v20.1.0/bin/node", "/home/o'neil/my tools/swrole.js"],
  ] as const) {
    assert.deepEqual(commandPrograms(renderCredentialProcessCommand(node, self, ['process', 'dev ro', '--agent', 'claude'])), [node, self]);
  }
});

test('viewsWithMissingPrograms names the project views whose node or swrole path is gone, and only those', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'swrole-views-'));
  try {
    const write = (project: string, node: string) => {
      const paths = projectViewPaths(stateDir, project);
      mkdirSync(paths.dir, { recursive: true });
      const meta = {
        version: 1,
        agent: 'claude',
        mode: 'view',
        project,
        profiles: ['a'],
        defaultProfile: 'a',
        source: {},
        scope: { readOnly: true },
        durationSeconds: null,
        createdAt: '',
      };
      writeFileSync(paths.metaFile, JSON.stringify(meta));
      writeFileSync(
        paths.configFile,
        `[profile a]\ncredential_process = ${renderCredentialProcessCommand(node, process.argv[1]!, ['process', 'a'])}\n`,
      );
    };
    write('/work/fresh', process.execPath);
    write('/work/stale', '/nonexistent/.nvm/versions/node/v18.0.0/bin/node');
    assert.ok(readFileSync(projectViewPaths(stateDir, '/work/stale').configFile, 'utf8').includes('v18.0.0'));
    assert.deepEqual(viewsWithMissingPrograms(stateDir, { platform: process.platform, user: undefined }), [
      { project: '/work/stale', missing: '/nonexistent/.nvm/versions/node/v18.0.0/bin/node' },
    ]);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});
