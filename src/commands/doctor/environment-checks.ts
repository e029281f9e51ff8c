import { statSync } from 'node:fs';
import type { AwsConfig } from '../../config/types.js';
import { findProfile, resolveProfileName } from '../../config/resolve-selection.js';
import { nonEmpty } from '../../config/setting-text.js';
import { summarizeProfile } from '../../plan/summarize-profile.js';
import type { StsProbeTarget } from '../../credentials/probe-sts-clock.js';
import { SHADOWING_KEYS } from '../../agent/view/agent-view-store.js';
import { commandLine } from '../../platform/command-hint.js';
import { isSwroleError } from '../../errors.js';
import type { Deps } from '../../platform/deps.js';
import { fail, ok, warn, type CheckResult } from './doctor-check.js';

/**
 * Which profile each tool would use (docs/reference/aws-behaviour.md §1.1): swrole and the AWS CLI v2 read
 * AWS_PROFILE, then AWS_DEFAULT_PROFILE; botocore (boto3, CLI v1) AWS_DEFAULT_PROFILE first; the AWS SDK for JS
 * ignores AWS_DEFAULT_PROFILE. Then whether the profile doctor looks at (PROFILE, else that one) resolves.
 */
export function checkProfileSelection(
  deps: Pick<Deps, 'env'>,
  config: AwsConfig | undefined,
  profileArg: string | undefined,
): CheckResult[] {
  const results: CheckResult[] = [];
  const awsProfile = nonEmpty(deps.env.AWS_PROFILE);
  const defaultProfile = nonEmpty(deps.env.AWS_DEFAULT_PROFILE);
  const chosen = resolveProfileName(deps.env);
  if (defaultProfile !== undefined && awsProfile === undefined) {
    results.push(
      warn(
        'profile-selection',
        `AWS_DEFAULT_PROFILE=${defaultProfile} without AWS_PROFILE: the AWS CLI, boto3 and swrole use "${defaultProfile}", the AWS SDK for JS ignores AWS_DEFAULT_PROFILE and uses "default"`,
        `export AWS_PROFILE=${commandLine(defaultProfile)} (or unset AWS_DEFAULT_PROFILE)`,
      ),
    );
  } else if (defaultProfile !== undefined && awsProfile !== undefined && defaultProfile !== awsProfile) {
    results.push(
      warn(
        'profile-selection',
        `AWS_PROFILE=${awsProfile} but AWS_DEFAULT_PROFILE=${defaultProfile}: swrole, the AWS CLI v2 and the AWS SDK for JS use "${awsProfile}", boto3 and the AWS CLI v1 use "${defaultProfile}"`,
        'unset AWS_DEFAULT_PROFILE, or set it to the same profile as AWS_PROFILE',
      ),
    );
  } else {
    results.push(ok('profile-selection', `the AWS CLI, boto3, the AWS SDK for JS and swrole all pick profile "${chosen}"`));
  }

  const name = nonEmpty(profileArg) ?? chosen;
  const named = profileArg !== undefined || awsProfile !== undefined || defaultProfile !== undefined;
  if (config === undefined) return results;
  if (!config.profiles.has(name) && !named) {
    results.push(ok('profile', 'no profile selected and no [default] profile: each command names its profile'));
    return results;
  }
  try {
    const summary = summarizeProfile(config, findProfile(config, name));
    const explain = `run \`${commandLine('swrole', 'explain', name)}\``;
    if (summary.kind === 'none') {
      // [default] holding only a region is common; it matters only when something selects it.
      results.push(
        named
          ? fail('profile', `profile "${name}" is selected but has no credentials: ${summary.error?.message ?? ''}`, explain)
          : ok('profile', `profile "${name}" has no credentials of its own (commands name their profile)`),
      );
    } else if (summary.kind === 'invalid') {
      results.push(fail('profile', `profile "${name}": ${summary.error?.message ?? 'invalid'}`, explain));
    } else {
      results.push(ok('profile', `profile "${name}" resolves (${summary.kind}${summary.roleArn ? `: ${summary.roleArn}` : ''})`));
    }
  } catch (error) {
    if (!isSwroleError(error)) throw error;
    results.push(fail('profile', error.message, error.hint ?? `run \`swrole list\``));
  }
  return results;
}

/**
 * Key variables in the environment beat profiles, differently per tool (aws-behaviour.md §1.1): botocore uses
 * them even with AWS_PROFILE set, the SDK for JS skips them whenever a profile is set. Inside `swrole exec` or
 * after `swrole use` they are swrole's own (SWROLE_PROFILE says whose).
 */
export function checkEnvironmentCredentials(deps: Pick<Deps, 'env'>): CheckResult {
  const env = deps.env;
  const set = SHADOWING_KEYS.filter((k) => nonEmpty(env[k]) !== undefined);
  const swroleProfile = nonEmpty(env.SWROLE_PROFILE);
  if (set.length === 0) return ok('env-credentials', 'no AWS key variables in the environment: profiles decide');
  if (swroleProfile !== undefined)
    return ok('env-credentials', `this shell holds swrole's credentials of profile "${swroleProfile}" (swrole use / exec)`);
  const unset = `unset ${set.join(' ')}`;
  if (nonEmpty(env.AWS_ACCESS_KEY_ID) !== undefined && nonEmpty(env.AWS_SECRET_ACCESS_KEY) === undefined) {
    return fail(
      'env-credentials',
      'AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY: the AWS CLI fails with partial credentials',
      unset,
    );
  }
  const profile = nonEmpty(env.AWS_PROFILE) ?? nonEmpty(env.AWS_DEFAULT_PROFILE);
  if (profile !== undefined) {
    return warn(
      'env-credentials',
      `${set.join(', ')} set beside AWS_PROFILE/AWS_DEFAULT_PROFILE=${profile}: the AWS CLI and boto3 use the keys, the AWS SDK for JS uses the profile`,
      `${unset} (or \`swrole use --clear\` if \`swrole use\` set them)`,
    );
  }
  return warn(
    'env-credentials',
    `${set.join(', ')} set: every AWS tool uses these keys, not your profiles`,
    `${unset} when you mean to use profiles`,
  );
}

const isReadableFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() === true;

/** The proxy STS is reached through (HTTPS_PROXY, NO_PROXY: botocore's rules), and whether its URL parses. */
export function checkProxy(target: StsProbeTarget): CheckResult {
  const proxy = target.transport.proxy;
  if (proxy === null) return ok('proxy', `STS (${target.url}) is reached directly (no proxy applies)`);
  try {
    new URL(proxy.url);
  } catch {
    return fail('proxy', `${proxy.from} is not a URL: ${proxy.display}`, `set ${proxy.from} to http://HOST:PORT, or unset it`);
  }
  return ok('proxy', `STS (${target.url}) is reached through ${proxy.display} (${proxy.from})`);
}

/** CA bundles named by the environment or the profile: a missing file breaks every TLS call (ours, the CLI's, Node's). */
export function checkCaBundles(deps: Pick<Deps, 'env'>, target: StsProbeTarget): CheckResult[] {
  const results: CheckResult[] = [];
  const bundle = target.transport.caBundle;
  if (bundle !== null && !isReadableFile(bundle.path)) {
    results.push(
      fail(
        'ca-bundle',
        `${bundle.from} names ${bundle.path}, which is not a readable file`,
        `point ${bundle.from} at your CA bundle (PEM), or unset it`,
      ),
    );
  }
  const extra = nonEmpty(deps.env.NODE_EXTRA_CA_CERTS);
  if (extra !== undefined && !isReadableFile(extra)) {
    results.push(
      fail(
        'ca-bundle',
        `NODE_EXTRA_CA_CERTS names ${extra}, which is not a readable file: Node (the AWS SDK for JS, Claude Code) ignores it`,
        'point NODE_EXTRA_CA_CERTS at your CA bundle (PEM), or unset it',
      ),
    );
  }
  if (results.length === 0) {
    const used = [bundle ? `${bundle.path} (${bundle.from})` : undefined, extra ? `${extra} (NODE_EXTRA_CA_CERTS)` : undefined].filter(
      Boolean,
    );
    results.push(
      ok('ca-bundle', used.length > 0 ? `CA bundles exist: ${used.join(', ')}` : 'no CA bundle configured: the system CA roots apply'),
    );
  }
  return results;
}
