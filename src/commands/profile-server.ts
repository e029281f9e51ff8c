/**
 * What `exec --server` and `serve` share: a profile's credentials behind the loopback container-credentials
 * endpoint (src/server/), refreshed ahead of expiry through the credential engine. Loaded only by those two.
 */
import { devNull } from 'node:os';
import { SwroleError } from '../errors.js';
import type { Deps } from '../platform/deps.js';
import { checkNoSession, readScopeFlags } from './scope-options.js';
import { checkRoleDuration, type CredentialFlags } from './credential-options.js';
import { prepareRequest, type PreparedRequest } from '../credentials/prepare-request.js';
import { getCredentials, type CredentialResult, type Reporters } from '../credentials/get-credentials.js';
import { refreshCredentials } from '../credentials/refresh-credentials.js';
import { auditIssuance } from '../credentials/audit-issuance.js';
import type { CredentialRequest } from '../credentials/engine-options.js';
import { loadAwsConfig } from '../config/load-aws-config.js';
import { defaultProfileSource } from '../plan/default-profile-source.js';
import { startCredentialServer } from '../server/credential-server.js';
import { createRefreshAhead, type Issued } from '../server/refresh-ahead.js';
import { describeFailure } from '../server/describe-failure.js';
import { containerEnv } from '../server/server-env.js';

export interface ProfileServerOptions {
  command: 'exec' | 'serve';
  flags: CredentialFlags;
  /** The parsed flag values (scope flags: --read-only, --policy, --agent). */
  values: Parameters<typeof readScopeFlags>[0];
  /** 0: any free port. */
  port: number;
  reporters: Reporters & { warn: (message: string) => void };
}

export interface ProfileServer {
  prepared: PreparedRequest;
  /** What a client needs: the endpoint and its token (plus an empty credentials file when [default] has keys). */
  vars: Array<[string, string]>;
  close(): Promise<void>;
}

function toIssued(result: CredentialResult, profile: string): Issued {
  // Long-term keys never leave through the endpoint (aws-vault refuses --ecs-server without a session too).
  if (result.credentials.sessionToken === undefined) {
    throw new SwroleError(
      'E_SERVER_LONG_TERM_KEYS',
      `profile "${profile}" would hand out its long-term keys (--no-session); the credential server serves temporary credentials only`,
      {
        hint: 'leave out --no-session (the server then serves a session of the keys), or use `swrole exec` without --server',
      },
    );
  }
  const obtainedAt = result.session?.meta.obtainedAt;
  const issuedAtMs = typeof obtainedAt === 'string' ? Date.parse(obtainedAt) : Number.NaN;
  return { credentials: result.credentials, issuedAtMs: Number.isNaN(issuedAtMs) ? undefined : issuedAtMs };
}

/**
 * SDKs resolve the default profile before the container endpoint: keys in the credentials file's [default] would
 * win. Point the client at an empty credentials file then; anything else in [default] cannot be hidden, so say so.
 */
function shadowingVars(deps: Deps, o: ProfileServerOptions, prepared: PreparedRequest): Array<[string, string]> {
  const config = o.flags.sourceConfig || o.flags.sourceCredentials ? loadAwsConfig(deps) : prepared.config;
  const found = defaultProfileSource(config);
  if (found === 'credentials-file') {
    o.reporters.notice(
      `the client gets AWS_SHARED_CREDENTIALS_FILE=${devNull}: the keys of [default] in ${config.credentialsFile} would win over the server`,
    );
    return [['AWS_SHARED_CREDENTIALS_FILE', devNull]];
  }
  if (found === 'config') {
    o.reporters.warn(
      `profile "default" in ${config.configFile} has credentials of its own (a role, credential_process or keys): AWS SDKs use those before the credential server`,
    );
  }
  return [];
}

export async function startProfileServer(deps: Deps, o: ProfileServerOptions): Promise<ProfileServer> {
  const scope = readScopeFlags(o.values, deps.cwd);
  checkNoSession(o.command, o.flags.noSession, scope);
  const prepared = prepareRequest(deps, { ...o.flags, scope }, o.reporters.warn);
  checkRoleDuration(o.command, prepared.plan.steps.length > 1, o.flags.durationSeconds);
  const profile = prepared.plan.profile;
  const request: CredentialRequest = {
    durationSeconds: o.flags.durationSeconds,
    mfaCode: o.flags.mfaCode,
    noCache: o.flags.noCache,
    noSession: o.flags.noSession,
    allowPrompt: true,
  };
  // Any MFA prompt happens now, before the child starts or the endpoint is announced: the server itself never
  // prompts (docs/reference/sso-keyring-console.md C.3), it answers 503 and says what to run.
  const first = await getCredentials(deps, prepared, request, o.reporters);
  const initial = toIssued(first, profile);
  const audit = (result: CredentialResult) => {
    if (!auditIssuance(deps, prepared, o.command, scope, result)) o.reporters.debug('audit: could not append to the audit log');
  };
  audit(first);
  const background: CredentialRequest = { ...request, mfaCode: undefined, allowPrompt: false };
  let lastFailure: string | undefined;
  const refresher = createRefreshAhead(initial, {
    now: deps.now,
    obtain: async (replacing) => {
      const result = await refreshCredentials(deps, prepared, background, o.reporters, replacing?.expiresAtMs);
      audit(result);
      return toIssued(result, profile);
    },
    describe: describeFailure,
    onRefresh: (outcome) => {
      if ('held' in outcome) {
        o.reporters.debug(
          `server: credentials for profile "${profile}" refreshed, valid until ${new Date(outcome.held.expiresAtMs).toISOString()}`,
        );
        if (lastFailure !== undefined) o.reporters.notice(`profile "${profile}": credentials refreshed again`);
        lastFailure = undefined;
        return;
      }
      if (outcome.failure.message === lastFailure) return;
      lastFailure = outcome.failure.message;
      const serving = outcome.serving
        ? `serving the current ones until ${new Date(outcome.serving.expiresAtMs).toISOString()}`
        : `answering ${outcome.failure.status} meanwhile`;
      deps.stderr.write(`swrole: server: cannot refresh the credentials of profile "${profile}", ${serving}: ${outcome.failure.message}\n`);
    },
  });
  let server;
  try {
    server = await startCredentialServer({ answer: refresher.answer, port: o.port, debug: o.reporters.debug });
  } catch (error) {
    refresher.close();
    throw error;
  }
  const running = server;
  o.reporters.debug(`server: listening on 127.0.0.1:${running.port} for profile "${profile}"`);
  return {
    prepared,
    vars: [...containerEnv(running), ...shadowingVars(deps, o, prepared)],
    close: async () => {
      refresher.close();
      await running.close();
    },
  };
}
