import { readFileSync } from 'node:fs';
import { SwroleError } from '../errors.js';
import type { Credentials } from '../domain/credentials.js';
import type { StoredSession } from '../cache/types.js';
import type { SourceStep } from '../plan/types.js';
import { translateStsError } from '../sts/translate-sts-error.js';
import { withRetry } from '../sts/with-retry.js';
import type { EngineContext } from './engine-options.js';
import { defaultSessionName, staticKeys } from './plan-strategy.js';
import { storedSession } from '../cache/session-file.js';
import { sourceKey } from './plan-cache-keys.js';
import { runCredentialProcess } from './run-credential-process.js';
import { helperEnv } from './helper-env.js';
import { fetchContainerCredentials, fetchInstanceCredentials } from './container-credentials.js';
import { maskKeyId } from './mask-secret.js';
import { createSsoRuntime, fetchSsoSession } from './sso-credentials.js';
import type { SsoRuntime } from '../sso/sso-runtime.js';
import type { SsoSource } from '../plan/types.js';

function fromEnvironment(profile: string, env: EngineContext['deps']['env']): Credentials {
  // botocore EnvProvider: empty counts as unset; AWS_SECURITY_TOKEN is the legacy name (§1.1).
  const accessKeyId = env.AWS_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || undefined;
  if (!accessKeyId || !secretAccessKey) {
    throw new SwroleError(
      'E_SOURCE_UNAVAILABLE',
      `profile "${profile}": credential_source = Environment but AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set`,
      {
        hint: 'export the keys first, or use source_profile instead',
      },
    );
  }
  const sessionToken = env.AWS_SESSION_TOKEN || env.AWS_SECURITY_TOKEN || undefined;
  const expiration = env.AWS_CREDENTIAL_EXPIRATION || undefined;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), ...(expiration ? { expiration } : {}) };
}

/** Caches a fetched source that expires (web identity): lock, re-check, fetch once. */
async function cachedSource(ctx: EngineContext, source: SourceStep, fetch: () => Promise<StoredSession>): Promise<Credentials> {
  // obtain() answers a valid cached session itself before it takes the lock.
  return (await ctx.store.obtain(sourceKey(ctx.config, source, ctx.endpoint), fetch)).session.credentials;
}

/** The SSO runtime of the engine's run (the selected profile's endpoints; prompts only where the request allows). */
export function ssoRuntimeOf(ctx: EngineContext, source: SsoSource): SsoRuntime {
  return createSsoRuntime(
    {
      deps: ctx.deps,
      config: ctx.config,
      selected: ctx.plan.profile,
      stateDir: ctx.cacheDir,
      notice: ctx.notice,
      debug: ctx.debug,
      interactive: () => ctx.request.allowPrompt && ctx.deps.interactive,
    },
    source,
  );
}

/** The credentials of the plan's first step (docs/reference/aws-behaviour.md §2.4: the source of the chain). */
export async function resolveSourceCredentials(ctx: EngineContext, source: SourceStep): Promise<Credentials> {
  const { deps } = ctx;
  switch (source.kind) {
    case 'static': {
      const keys = staticKeys(ctx.config, source);
      if (!keys.accessKeyId || !keys.secretAccessKey) {
        throw new SwroleError(
          'E_PARTIAL_CREDENTIALS',
          `profile "${source.profile}": aws_access_key_id and aws_secret_access_key must both be set`,
          {
            hint: `check the [${source.profile}] section of ${source.file === 'credentials' ? ctx.config.credentialsFile : ctx.config.configFile}`,
          },
        );
      }
      ctx.debug(`source: static keys of profile "${source.profile}" (${maskKeyId(keys.accessKeyId)})`);
      return {
        accessKeyId: keys.accessKeyId,
        secretAccessKey: keys.secretAccessKey,
        ...(keys.sessionToken ? { sessionToken: keys.sessionToken } : {}),
      };
    }
    case 'keyring': {
      // Loaded on a miss only: the keyring addon (or the key files and their passphrase) is never on the hit path.
      const { readKeyringCredentials } = await import('./keyring-credentials.js');
      return readKeyringCredentials(ctx, source);
    }
    case 'environment':
      ctx.debug('source: environment variables');
      return fromEnvironment(source.profile, deps.env);
    case 'process': {
      ctx.debug(`source: credential_process of profile "${source.profile}"`);
      const key = sourceKey(ctx.config, source, ctx.endpoint);
      const hit = ctx.store.read(key);
      if (hit) return hit.credentials;
      const helperDeps = { ...deps, env: helperEnv(deps.env, ctx.config) };
      const fresh = storedSession('source', source.profile, await runCredentialProcess(source.command, source.profile, helperDeps), {
        sourceKind: 'process',
      });
      // Without an Expiration the credentials are static: never cached (botocore re-runs the process too).
      if (!fresh.credentials.expiration) return fresh.credentials;
      return (await ctx.store.obtain(key, async () => fresh)).session.credentials;
    }
    case 'webIdentity':
      ctx.debug(`source: web identity token ${source.tokenFile} for ${source.roleArn}`);
      return cachedSource(ctx, source, async () => {
        let token: string;
        try {
          token = readFileSync(source.tokenFile, 'utf8').trim();
        } catch (error) {
          throw new SwroleError(
            'E_WEB_IDENTITY_TOKEN',
            `profile "${source.profile}": cannot read web_identity_token_file ${source.tokenFile}`,
            {
              hint: 'check the path (in EKS it is AWS_WEB_IDENTITY_TOKEN_FILE)',
              cause: error,
            },
          );
        }
        const gateway = await ctx.gateway();
        const name = source.roleSessionName ?? defaultSessionName(deps.now());
        try {
          const out = await withRetry((signal) =>
            gateway.assumeRoleWithWebIdentity({ roleArn: source.roleArn, roleSessionName: name, webIdentityToken: token }, { signal }),
          );
          return storedSession('source', source.profile, out.credentials, {
            sourceKind: 'webIdentity',
            roleArn: source.roleArn,
            assumedRoleArn: out.assumedRoleArn,
          });
        } catch (error) {
          throw translateStsError(error, {
            operation: 'AssumeRoleWithWebIdentity',
            profile: source.profile,
            roleArn: source.roleArn,
            endpoint: ctx.endpoint.url,
            transport: ctx.transport,
          });
        }
      });
    case 'ecsContainer':
      ctx.debug('source: container credentials endpoint');
      return fetchContainerCredentials(source.profile, deps);
    case 'ec2InstanceMetadata':
      ctx.debug('source: EC2 instance metadata (IMDSv2)');
      return fetchInstanceCredentials(source.profile, deps);
    case 'sso':
      ctx.debug(
        `source: IAM Identity Center, account ${source.accountId} role ${source.roleName} (${source.ssoSession ?? source.startUrl})`,
      );
      return cachedSource(ctx, source, () => fetchSsoSession(ssoRuntimeOf(ctx, source), source));
  }
}
