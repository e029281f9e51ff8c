// The agent view as botocore reads it: the profiles and services it keeps, and the credential_process argv
// (shlex-split as botocore does) that runs swrole with the agent's scope. The rendering's own rules:
// test/unit/agent-scope.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { renderAgentView, renderProcessArgs } from '../../src/agent/view/render-agent-view.js';
import { world } from '../helpers/agent-scope-world.js';

describe('renderAgentView', () => {
  it('keeps region, endpoints, services and sub-sections, drops every credential key; botocore reads it', () => {
    const w = world();
    try {
      const source = { configFile: join(w.dir, 'config'), credentialsFile: join(w.dir, 'credentials') };
      const options = {
        nodePath: '/usr/bin/node',
        selfPath: "/opt/it's swrole/swrole.js",
        scope: { readOnly: true, agent: 'claude' },
        durationSeconds: 900,
      };
      const text = renderAgentView(w.config, ['a', 'with space'], source, options);
      assert.doesNotMatch(text, /role_arn|source_profile|mfa_serial|aws_access_key_id|swrole_session|s3cr3t/);
      writeFileSync(join(w.dir, 'view'), text);
      const py = spawnSync(
        'python3',
        [
          '-c',
          `
import json, shlex, botocore.session
s = botocore.session.Session()
s.set_config_variable('config_file', ${JSON.stringify(join(w.dir, 'view'))})
s.set_config_variable('credentials_file', '/nonexistent')
full = s.full_config
print(json.dumps({'profiles': full['profiles'], 'services': full.get('services', {}), 'argv': shlex.split(full['profiles']['a@agent']['credential_process'])}))
`,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(py.status, 0, py.stderr);
      const out = JSON.parse(py.stdout) as {
        profiles: Record<string, Record<string, unknown>>;
        services: Record<string, unknown>;
        argv: string[];
      };
      // View-only names (AWS_PROFILE's: a process that loses AWS_CONFIG_FILE finds no such profile in the user's
      // config), and the granted names themselves for a script's --profile.
      assert.deepEqual(Object.keys(out.profiles).sort(), ['a', 'a@agent', 'with space', 'with space@agent']);
      assert.deepEqual(out.profiles.a, out.profiles['a@agent']);
      assert.deepEqual(out.argv, [options.nodePath, options.selfPath, ...renderProcessArgs('a', source, options)]);
      assert.deepEqual(out.argv.slice(2), [
        'process',
        'a',
        '--source-config',
        source.configFile,
        '--source-credentials',
        source.credentialsFile,
        '--read-only',
        '--duration',
        '900',
        '--agent',
        'claude',
      ]);
      const a = out.profiles['a@agent']!;
      assert.equal(a.region, 'eu-west-1');
      assert.equal(a.output, 'json');
      assert.equal(a.services, 'emu');
      assert.deepEqual(a.s3, { addressing_style: 'path' });
      assert.deepEqual(out.services, { emu: { sts: { endpoint_url: 'http://127.0.0.1:9' } } });
    } finally {
      w.cleanup();
    }
  });
});
