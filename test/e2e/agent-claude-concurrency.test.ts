// Issue 15 (medium): concurrent `agent claude` runs in one project. The view used to be written outside the
// settings lock, so one run's settings could end up beside another run's view: AWS_PROFILE named a profile the view
// did not have (5 of 12 trials). View and settings are now written under one lock, view first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { useEmulatorSandbox } from '../helpers/emulator-fixture.js';
import { runSwrole, type Sandbox } from '../helpers/swrole-run.js';

const PROFILES = ['a', 'ro', 'nomfa', 'chained', 'a-long', 'ext', 'ext-wrong', 'bad-serial', 'web', 'proc', 'proc-role', 'root-a'];
const TRIALS = 3;

let box: Sandbox;

useEmulatorSandbox((fixture) => ({ box } = fixture));

describe('concurrent agent claude in one project (issue 15)', () => {
  it(`${PROFILES.length} runs at once granting different profiles, ${TRIALS} trials: AWS_PROFILE is always a profile of the view`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const project = join(box.dir, `project-${trial}`);
      mkdirSync(project);
      const runs = await Promise.all(
        PROFILES.map((profile) => runSwrole(['agent', 'claude', profile, '--dir', project], box.env, { timeoutMs: 60_000 })),
      );
      // A grant is issued once before anything is written (obtain first): profiles that need an MFA session or
      // are refused by STS fail (exit 4) and write nothing; the others race for the settings.
      runs.forEach((r, i) => assert.ok(r.code === 0 || r.code === 4, `${PROFILES[i]}: exit ${r.code}: ${r.stderr}`));
      assert.ok(runs.filter((r) => r.code === 0).length >= 4, 'enough grants succeed to race');

      const env = (JSON.parse(readFileSync(join(project, '.claude', 'settings.local.json'), 'utf8')) as { env: Record<string, string> })
        .env;
      const viewDir = join(env.AWS_CONFIG_FILE!, '..');
      const meta = JSON.parse(readFileSync(join(viewDir, 'view.json'), 'utf8')) as { profiles: string[]; defaultProfile: string };
      const config = readFileSync(env.AWS_CONFIG_FILE!, 'utf8');
      // Each granted profile is in the view under its name and as PROFILE@agent, which AWS_PROFILE names.
      const sections = [...config.matchAll(/^\[profile (.+)\]$/gm)].map((m) => m[1]).filter((name) => !name!.endsWith('@agent'));
      const granted = env.AWS_PROFILE!.replace(/@agent$/, '');
      const where = `trial ${trial + 1}: AWS_PROFILE=${env.AWS_PROFILE}, view grants ${meta.profiles.join(',')}`;
      assert.equal(env.AWS_PROFILE, `${granted}@agent`, where);
      assert.ok(meta.profiles.includes(granted), where);
      assert.equal(meta.defaultProfile, granted, where);
      assert.deepEqual(sections, meta.profiles, `${where}: config and view.json agree`);
      assert.equal(env.AWS_SHARED_CREDENTIALS_FILE, join(viewDir, 'credentials'));
      rmSync(project, { recursive: true, force: true });
    }
  });
});
