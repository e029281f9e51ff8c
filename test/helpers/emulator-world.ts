// A shared sample world for tests (the common setup: a base account with an IAM user and MFA,
// roles in other accounts that trust it) plus the constants tests need to address it.
import type { World } from '../../emulator/world.js';

export const BASE_ACCOUNT = '333333333333';
export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';

export const USER_NAME = 'example.user';
export const USER_ARN = `arn:aws:iam::${BASE_ACCOUNT}:user/${USER_NAME}`;
export const USER_ACCESS_KEY_ID = 'AKIAEXAMPLEUSER00001';
export const USER_SECRET_ACCESS_KEY = 'exampleUserSecretKeyForTestsOnly00000001';
export const MFA_SERIAL = `arn:aws:iam::${BASE_ACCOUNT}:mfa/${USER_NAME}`;
export const MFA_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** A second user without MFA, for "wrong device" cases. */
export const OTHER_USER_NAME = 'other.user';
export const OTHER_USER_ARN = `arn:aws:iam::${BASE_ACCOUNT}:user/${OTHER_USER_NAME}`;
export const OTHER_ACCESS_KEY_ID = 'AKIAEXAMPLEOTHER0001';
export const OTHER_SECRET_ACCESS_KEY = 'otherUserSecretKeyForTestsOnly0000000001';

export const ROOT_ACCESS_KEY_ID = 'AKIAEXAMPLEROOT00001';
export const ROOT_SECRET_ACCESS_KEY = 'rootSecretKeyForTestsOnly000000000000001';

export const ROLE_A_ARN = `arn:aws:iam::${ACCOUNT_A}:role/RoleA`;
export const ROLE_READ_ONLY_ARN = `arn:aws:iam::${ACCOUNT_B}:role/RoleReadOnly`;
export const ROLE_NO_MFA_ARN = `arn:aws:iam::${ACCOUNT_A}:role/RoleNoMfa`;
export const ROLE_CHAINED_ARN = `arn:aws:iam::${ACCOUNT_A}:role/RoleChained`;
export const ROLE_EXTERNAL_ID_ARN = `arn:aws:iam::${ACCOUNT_B}:role/RoleExternalId`;
export const EXTERNAL_ID = 'example-external-id-42';
/** Roles as most accounts have them: the trust policy allows sts:AssumeRole only (issue 9 §2), or no SourceIdentity. */
export const ROLE_ASSUME_ONLY_ARN = `arn:aws:iam::${ACCOUNT_A}:role/RoleAssumeOnly`;
export const ROLE_TAGS_ONLY_ARN = `arn:aws:iam::${ACCOUNT_A}:role/RoleTagsOnly`;
export const ROLE_WEB_IDENTITY_ARN = `arn:aws:iam::${ACCOUNT_A}:role/RoleWebIdentity`;
export const WEB_IDENTITY_PROVIDER = 'token.actions.example.com';
export const WEB_IDENTITY_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.example-web-identity-token.signature';
export const WEB_IDENTITY_SUBJECT = 'repo:example/app:ref:refs/heads/main';
export const WEB_IDENTITY_AUDIENCE = 'sts.amazonaws.com';

// Tags and source identity need sts:TagSession / sts:SetSourceIdentity in the trust policy (IAM
// "Passing session tags in STS", "Monitor and control actions taken with assumed roles").
const ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];
const mfaTrust = (principal: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow' as const,
      Principal: { AWS: principal },
      Action: ACTIONS,
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
  ],
});

export function sampleWorld(): World {
  return {
    accounts: {
      [BASE_ACCOUNT]: {
        users: {
          [USER_NAME]: {
            accessKeys: [{ id: USER_ACCESS_KEY_ID, secret: USER_SECRET_ACCESS_KEY }],
            mfa: [{ serial: MFA_SERIAL, totpSecret: MFA_SECRET }],
            tags: { team: 'platform' },
          },
          // Its own policy allows GetFederationToken but not sts:TagSession (session tags on a federated session).
          [OTHER_USER_NAME]: {
            accessKeys: [{ id: OTHER_ACCESS_KEY_ID, secret: OTHER_SECRET_ACCESS_KEY }],
            policy: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['sts:GetFederationToken', 'sts:GetSessionToken', 'sts:AssumeRole', 's3:*'], Resource: '*' },
              ],
            },
          },
        },
        root: { accessKeys: [{ id: ROOT_ACCESS_KEY_ID, secret: ROOT_SECRET_ACCESS_KEY }] },
        roles: {},
      },
      [ACCOUNT_A]: {
        roles: {
          RoleA: { maxSessionDuration: 3600, trustPolicy: mfaTrust(USER_ARN) },
          RoleNoMfa: {
            maxSessionDuration: 43200,
            trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: USER_ARN }, Action: ACTIONS }] },
          },
          RoleAssumeOnly: {
            maxSessionDuration: 3600,
            trustPolicy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { AWS: USER_ARN }, Action: 'sts:AssumeRole' }],
            },
          },
          RoleTagsOnly: {
            maxSessionDuration: 3600,
            trustPolicy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { AWS: USER_ARN }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
            },
          },
          RoleChained: {
            maxSessionDuration: 43200,
            trustPolicy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { AWS: [ROLE_A_ARN, ROLE_NO_MFA_ARN] }, Action: ACTIONS }],
            },
          },
          RoleWebIdentity: {
            maxSessionDuration: 3600,
            trustPolicy: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Federated: `arn:aws:iam::${ACCOUNT_A}:oidc-provider/${WEB_IDENTITY_PROVIDER}` },
                  Action: 'sts:AssumeRoleWithWebIdentity',
                  Condition: {
                    StringEquals: { [`${WEB_IDENTITY_PROVIDER}:aud`]: WEB_IDENTITY_AUDIENCE },
                    StringLike: { [`${WEB_IDENTITY_PROVIDER}:sub`]: 'repo:example/app:*' },
                  },
                },
              ],
            },
          },
        },
      },
      [ACCOUNT_B]: {
        roles: {
          RoleReadOnly: { maxSessionDuration: 3600, trustPolicy: mfaTrust(USER_ARN) },
          RoleExternalId: {
            maxSessionDuration: 3600,
            trustPolicy: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: BASE_ACCOUNT },
                  Action: ACTIONS,
                  Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
                },
              ],
            },
          },
        },
      },
    },
    roleChainingLimitSeconds: 3600,
    webIdentityTokens: {
      [WEB_IDENTITY_TOKEN]: {
        subject: WEB_IDENTITY_SUBJECT,
        provider: `https://${WEB_IDENTITY_PROVIDER}`,
        audience: WEB_IDENTITY_AUDIENCE,
      },
    },
  };
}

/** Credentials of the sample user, in the shape the SDK takes. */
export const userCredentials = () => ({ accessKeyId: USER_ACCESS_KEY_ID, secretAccessKey: USER_SECRET_ACCESS_KEY });
