// The setup every IAM Identity Center test file shares (issue 11): an emulator with the SSO world, a sandbox with
// the SSO config, swrole spawned against both (no prompt, or as a person in a pseudo-terminal), the token cache's
// paths, the emulator's OIDC/portal counters, and botocore (the image's Python) reading the same HOME.
// `useSsoSuite()` registers the shared fixture (emulator-fixture.ts) on the file that calls it at its top level.
import { beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../emulator/start-emulator.js';
import { useEmulatorSandbox } from './emulator-fixture.js';
import { runDetached } from './run-detached.js';
import { DIST, runSwrole, type RunResult, type Sandbox } from './swrole-run.js';
import { SESSION_TOKEN_FILE, ssoCacheDir, ssoConfig, ssoEnv, ssoWorld, type SsoWorldOptions } from './sso-world.js';

/** The SSO-OIDC actions (a sign-in or a refresh); every other SSO action is the portal's. */
export const OIDC_ACTIONS = ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken', 'Authorize'];

export interface SsoSuiteOptions {
  world?: SsoWorldOptions;
  /** Before each test: the emulator's log and state reset, swrole's cache and the token cache removed. */
  freshEach?: boolean;
  /** More setup once the emulator and the sandbox run (one before hook: node 20 may run a second one at once). */
  setup?: (suite: SsoSuite) => void | Promise<void>;
}

export interface SsoSuite {
  readonly emu: EmulatorHandle;
  readonly box: Sandbox;
  /** swrole's env: the emulator for STS, SSO and SSO-OIDC, never a prompt (SWROLE_NO_PROMPT). */
  env(extra?: Record<string, string>, emu?: EmulatorHandle): Record<string, string>;
  /** A person's shell: the same endpoints, prompts allowed; no DISPLAY (so no platform browser). */
  personEnv(extra?: Record<string, string>): Record<string, string>;
  /** `swrole ARGS` without a terminal (an agent, a pipe). */
  swrole(args: string[], extra?: Record<string, string>, emu?: EmulatorHandle): Promise<RunResult>;
  tokenPath(name?: string): string;
  readToken(name?: string): Record<string, string>;
  count(action: string): number;
  oidcCalls(): ReturnType<EmulatorHandle['calls']>;
  oidcCount(): number;
  /** The env of the Python oracles (pyenv finds its interpreter by PYENV_ROOT, not the sandbox HOME). */
  pythonEnv(extra?: Record<string, string>): Record<string, string>;
  /** botocore resolving a profile from the same HOME: the access key, or its error (class: message). */
  botocore(profile: string, env?: Record<string, string>): Promise<{ key?: string; error?: string }>;
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * `swrole ARGS` in a pseudo-terminal (a person at it): `script` gives it a controlling tty. Output is stdout+stderr;
 * `watch` sees it as it comes (to wait on what the run says).
 */
export function inTerminal(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
  watch?: (outputSoFar: string) => void,
): Promise<{ code: number | null; output: string }> {
  const line = [process.execPath, DIST, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', line, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const add = (c: string) => {
      output += c;
      watch?.(output.replaceAll('\r\n', '\n'));
    };
    child.stdout.setEncoding('utf8').on('data', add);
    child.stderr.setEncoding('utf8').on('data', add);
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.replaceAll('\r\n', '\n') });
    });
  });
}

const BOTOCORE = `import boto3, json, sys
try:
    c = boto3.Session(profile_name=sys.argv[1]).get_credentials().get_frozen_credentials()
    print(json.dumps({"key": c.access_key}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__ + ": " + str(e)}))
`;

export function useSsoSuite(options: SsoSuiteOptions = {}): SsoSuite {
  let emu: EmulatorHandle | undefined;
  let box: Sandbox | undefined;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the SSO suite's ${what} is not started (use it inside a test)`);
    return value;
  };
  useEmulatorSandbox(
    async (fixture) => {
      ({ emu, box } = fixture);
      await options.setup?.(suite);
    },
    { world: ssoWorld(options.world), config: ssoConfig() },
  );
  if (options.freshEach) {
    beforeEach(() => {
      suite.emu.reset();
      rmSync(suite.box.stateDir, { recursive: true, force: true });
      rmSync(ssoCacheDir(suite.box.home), { recursive: true, force: true });
    });
  }
  const suite: SsoSuite = {
    get emu() {
      return need(emu, 'emulator');
    },
    get box() {
      return need(box, 'sandbox');
    },
    env: (extra = {}, other) => ({ ...ssoEnv(suite.box.env, (other ?? suite.emu).url), ...extra }),
    personEnv: (extra = {}) => ({
      ...suite.box.env,
      AWS_ENDPOINT_URL_SSO: suite.emu.url,
      AWS_ENDPOINT_URL_SSO_OIDC: suite.emu.url,
      ...extra,
    }),
    swrole: (args, extra, other) => runSwrole(args, suite.env(extra, other), { timeoutMs: 180_000 }),
    tokenPath: (name = SESSION_TOKEN_FILE) => join(ssoCacheDir(suite.box.home), name),
    readToken: (name) => JSON.parse(readFileSync(suite.tokenPath(name), 'utf8')) as Record<string, string>,
    count: (action) => suite.emu.counts()[action] ?? 0,
    oidcCalls: () => suite.emu.calls().filter((c) => OIDC_ACTIONS.includes(c.action)),
    oidcCount: () => OIDC_ACTIONS.reduce((n, a) => n + suite.count(a), 0),
    pythonEnv: (extra = {}) => ({
      ...suite.env(),
      PYENV_ROOT: process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'),
      PYTHONDONTWRITEBYTECODE: '1',
      ...extra,
    }),
    botocore: async (profile, env) => {
      // Asynchronously: the emulator answers from this process.
      const out = await runDetached('python3', ['-c', BOTOCORE, profile], env ?? suite.pythonEnv(), '', 60_000);
      assert.equal(out.code, 0, out.stderr);
      return JSON.parse(out.stdout) as { key?: string; error?: string };
    },
  };
  return suite;
}
