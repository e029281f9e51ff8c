/**
 * `swrole keys rotate` (issue 12; docs/reference/sso-keyring-console.md B.4): replaces a profile's keyring key
 * with a new IAM access key, each step recorded in the item first so that a run killed at any point is finished
 * by `--resume`:
 *
 *   ListAccessKeys (two keys already: stop, nothing changed) → CreateAccessKey → item: old key + Rotation
 *   "created" (the new key) → GetCallerIdentity with the new key every 2 s until IAM has propagated it (30 s cap)
 *   → item: new key + Rotation "switched" (the old id) → DeleteAccessKey of the old key, signed by the new one →
 *   item: new key alone → the sessions made from the old key cleared.
 *
 * IAM is called with the long-term key itself (a GetSessionToken session without MFA cannot call IAM), or, for a
 * profile with `mfa_serial` (whose policy may deny IAM without MFA: `BoolIfExists aws:MultiFactorAuthPresent false`),
 * with MFA sessions: the old key's (the one `swrole login` caches) for ListAccessKeys and CreateAccessKey, and a new
 * one of the new key (a second MFA code) for DeleteAccessKey, which stays cached as the profile's MFA session.
 * Loaded by the command only: nothing here is on the hit path.
 */
import { SwroleError, isSwroleError } from '../errors.js';
import type { Deps } from '../platform/deps.js';
import type { AwsConfig } from '../config/types.js';
import type { Credentials } from '../domain/credentials.js';
import { describeBackend, type KeyringBackend } from '../domain/keyring-backend.js';
import type { StoredKey } from '../keyring/key-item.js';
import { resolvePlan } from '../plan/resolve-plan.js';
import { resolveStsTransport } from '../sts/resolve-sts-transport.js';
import { loadStsGateway } from '../sts/load-gateway.js';
import { sdkSharedSettings } from '../sts/sdk-shared-settings.js';
import { loadIamGateway, resolveIamEndpoint, type IamGateway } from '../sts/iam-gateway.js';
import type { StsGateway } from '../sts/gateway.js';
import { resolvePlanEndpoint } from './prepare-request.js';
import { itemMissing, keyStoreFor } from './keyring-credentials.js';
import { maskKeyId } from './mask-secret.js';

export interface RotateOptions {
  profile: string;
  backend: KeyringBackend;
  resume: boolean;
  /** Progress lines for the person (stderr). */
  say: (line: string) => void;
  debug: (line: string) => void;
  /** How long the new key may take to work, and the poll step (tests shorten them). */
  propagationMs?: number;
  pollMs?: number;
  /**
   * With `mfa_serial`: the MFA session (GetSessionToken with MFA) of the key the keyring holds now, cached unless
   * `fresh`, to call IAM with instead of the long-term key.
   */
  mfaSession?: (fresh: boolean) => Promise<Credentials>;
  /** Clears the sessions made from the old key, once the new key is the profile's; returns what it did (for the report). */
  forgetOld: () => string;
}

/** The same error with what the rotation left said in its hint. */
function withState(error: unknown, state: string): unknown {
  if (!isSwroleError(error)) return error;
  return new SwroleError(error.code, error.message, { hint: `${error.hint ? `${error.hint}; ` : ''}${state}`, cause: error });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An IAM or STS failure → the code a person can act on; the rotation state is named in the hint. */
function callFailure(error: unknown, doing: string, state: string): SwroleError {
  if (isSwroleError(error)) return error;
  const name = (error as { name?: string }).name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const make = (code: 'E_KEYS_LIMIT' | 'E_ACCESS_DENIED' | 'E_INVALID_KEYS' | 'E_KEYS_IAM', hint: string) =>
    new SwroleError(code, `${doing}: ${name ? `${name}: ` : ''}${message}`, { hint: `${hint}; ${state}`, cause: error });
  if (/^LimitExceeded/.test(name)) return make('E_KEYS_LIMIT', 'the IAM user already has two access keys: delete the one not in use first');
  if (/^AccessDenied/.test(name)) {
    return make(
      'E_ACCESS_DENIED',
      /explicit deny/.test(message)
        ? 'a policy denies it: if it requires MFA for IAM calls, add mfa_serial to the profile (rotation then uses MFA sessions)'
        : 'the key may not manage its own access keys (iam:ListAccessKeys, CreateAccessKey, DeleteAccessKey on itself)',
    );
  }
  if (/^(InvalidClientTokenId|SignatureDoesNotMatch)/.test(name))
    return make('E_INVALID_KEYS', 'the key is not (or no longer) valid in IAM');
  return make('E_KEYS_IAM', 'check the network and AWS_ENDPOINT_URL_IAM, then run again');
}

export async function rotateKey(
  deps: Deps,
  config: AwsConfig,
  o: RotateOptions,
): Promise<{ oldKeyId: string; newKeyId: string; sessions?: string }> {
  const store = keyStoreFor(deps, o.backend, { allowPrompt: deps.interactive });
  const where = describeBackend(o.backend);
  let item: StoredKey | undefined = await store.read(o.profile);
  if (item === undefined) throw itemMissing(o.profile, o.backend, store);
  if (item.rotation !== undefined && !o.resume) {
    throw new SwroleError(
      'E_KEYS_ROTATION_PENDING',
      `profile "${o.profile}": a rotation of its key was interrupted (${item.rotation.state})`,
      {
        hint: `finish it with \`swrole keys rotate ${o.profile} --resume\``,
      },
    );
  }
  if (item.rotation === undefined && o.resume) {
    o.say(`no interrupted rotation for profile "${o.profile}": nothing to resume`);
    return { oldKeyId: item.accessKeyId, newKeyId: item.accessKeyId };
  }
  const offset = deps.now() - Date.now();
  const plan = resolvePlan(config, o.profile, { env: deps.env });
  const stsEndpoint = resolvePlanEndpoint(config, plan, deps.env);
  let sts: Promise<StsGateway> | undefined;
  const stsGateway = () =>
    (sts ??= loadStsGateway(
      stsEndpoint,
      offset,
      resolveStsTransport({ env: deps.env, endpointUrl: stsEndpoint.url }),
      sdkSharedSettings(config, deps.env),
    ));
  const iamUrl = resolveIamEndpoint(deps.env);
  let iamP: Promise<IamGateway> | undefined;
  const iam = () => (iamP ??= loadIamGateway(iamUrl, offset, resolveStsTransport({ env: deps.env, endpointUrl: iamUrl })));
  o.debug(`iam: ${iamUrl}; sts: ${stsEndpoint.url}`);
  const keys = (k: { accessKeyId: string; secretAccessKey: string }): Credentials => ({
    accessKeyId: k.accessKeyId,
    secretAccessKey: k.secretAccessKey,
  });
  const oldKeyId = item.rotation?.state === 'switched' ? item.rotation.oldAccessKeyId : item.accessKeyId;
  const resumeHint = `run \`swrole keys rotate ${o.profile} --resume\` to finish`;

  if (item.rotation === undefined) {
    const current = item;
    let caller: Credentials = keys(current);
    if (o.mfaSession !== undefined) {
      try {
        caller = await o.mfaSession(false);
      } catch (error) {
        throw withState(error, 'nothing was changed');
      }
      o.debug(`iam: calls signed by the MFA session ${maskKeyId(caller.accessKeyId)} of the old key`);
    }
    let listed;
    try {
      listed = await (await iam()).listAccessKeys(caller);
    } catch (error) {
      throw callFailure(error, `profile "${o.profile}": ListAccessKeys`, 'nothing was changed');
    }
    if (listed.keys.length >= 2) {
      const other = listed.keys.find((k) => k.accessKeyId !== current.accessKeyId);
      throw new SwroleError(
        'E_KEYS_LIMIT',
        `profile "${o.profile}": the IAM user ${listed.userName ?? ''} already has two access keys; nothing was changed`,
        {
          hint: `IAM allows two: delete the other one (${other ? maskKeyId(other.accessKeyId) : "not this profile's"}) if nothing uses it (aws iam delete-access-key), then rotate again`,
        },
      );
    }
    let created;
    try {
      created = await (await iam()).createAccessKey(caller);
    } catch (error) {
      throw callFailure(error, `profile "${o.profile}": CreateAccessKey`, 'nothing was changed');
    }
    item = {
      ...current,
      rotation: {
        state: 'created',
        userName: created.userName,
        newAccessKeyId: created.accessKeyId,
        newSecretAccessKey: created.secretAccessKey,
        startedAt: new Date(deps.now()).toISOString(),
      },
    };
    await store.write(o.profile, item);
    o.say(`created the new key ${maskKeyId(created.accessKeyId)} and recorded it in ${where}`);
  }

  if (item.rotation?.state === 'created') {
    const r = item.rotation;
    const fresh = { accessKeyId: r.newAccessKeyId, secretAccessKey: r.newSecretAccessKey };
    const limit = o.propagationMs ?? 30_000;
    const step = o.pollMs ?? 2000;
    const started = Date.now();
    o.say('waiting until IAM has propagated the new key (usually 5–15 s)');
    for (let attempt = 1; ; attempt++) {
      try {
        await (await stsGateway()).getCallerIdentity(fresh);
        break;
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (!/^InvalidClientTokenId/.test(name))
          throw callFailure(error, `profile "${o.profile}": GetCallerIdentity with the new key`, resumeHint);
        if (Date.now() - started + step > limit) {
          throw new SwroleError(
            'E_KEYS_PROPAGATION',
            `profile "${o.profile}": the new key ${maskKeyId(r.newAccessKeyId)} did not work within ${Math.round(limit / 1000)} s`,
            {
              hint: `IAM is eventually consistent: the new key is kept in ${where} next to the old one, which still works; ${resumeHint}`,
            },
          );
        }
        o.debug(`new key not yet valid (attempt ${attempt}); next try in ${step} ms`);
        await sleep(step);
      }
    }
    item = {
      accessKeyId: r.newAccessKeyId,
      secretAccessKey: r.newSecretAccessKey,
      createdAt: new Date(deps.now()).toISOString(),
      source: 'rotate',
      rotation: { state: 'switched', userName: r.userName, oldAccessKeyId: item.accessKeyId, startedAt: r.startedAt },
    };
    await store.write(o.profile, item);
  }

  if (item.rotation?.state === 'switched') {
    // The old key's sessions go now: the new key is the profile's (and its MFA session takes the old one's place).
    const sessions = o.forgetOld();
    let signer: Credentials = keys(item);
    if (o.mfaSession !== undefined) {
      o.say(`an MFA session of the new key signs the deletion of the old one`);
      try {
        signer = await o.mfaSession(true);
      } catch (error) {
        throw withState(error, `the new key is stored and works; ${resumeHint}`);
      }
    }
    try {
      await (await iam()).deleteAccessKey(signer, item.rotation.oldAccessKeyId);
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      // Already gone (a resumed run whose delete went through before the kill): done.
      if (!/^NoSuchEntity/.test(name)) throw callFailure(error, `profile "${o.profile}": DeleteAccessKey of the old key`, resumeHint);
    }
    const { rotation: _done, ...finished } = item;
    await store.write(o.profile, finished);
    o.say(`deleted the old key ${maskKeyId(oldKeyId)} (signed by the new one)`);
    return { oldKeyId, newKeyId: finished.accessKeyId, sessions };
  }
  throw new Error('unreachable rotation state');
}
