// C6 (unit): what a client of the credential server gets and loses, for every SDK's precedence
// (docs/reference/sso-keyring-console.md C.2, aws-behaviour.md §2.2 and §4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildChildEnv } from '../../src/exec/child-env.js';
import { SERVER_CONFLICTING_ENV, containerEnv, serverEnvToUnset } from '../../src/server/server-env.js';
import { renderEnv } from '../../src/output/render-env.js';

const PARENT = {
  PATH: '/usr/bin',
  HOME: '/home/u',
  AWS_ACCESS_KEY_ID: 'AKIAPARENT0000000001',
  AWS_SECRET_ACCESS_KEY: 'parent-secret',
  AWS_SESSION_TOKEN: 'parent-token',
  AWS_SECURITY_TOKEN: 'parent-token',
  AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
  AWS_ACCESS_KEY: 'legacy',
  AWS_SECRET_KEY: 'legacy',
  AWS_ACCOUNT_ID: '999999999999',
  AWS_PROFILE: 'prod',
  AWS_DEFAULT_PROFILE: 'prod',
  AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
  AWS_ROLE_ARN: 'arn:aws:iam::999999999999:role/Pod',
  AWS_ROLE_SESSION_NAME: 'pod',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
  AWS_CONTAINER_AUTHORIZATION_TOKEN: 'parent-container-token',
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/var/run/secrets/eks/token',
  AWS_CREDENTIAL_FILE: '/etc/aws-creds',
  AWS_SDK_LOAD_CONFIG: '1',
  SWROLE_EXPIRATION: '2030-01-01T00:00:00Z',
  AWS_REGION: 'us-west-2',
  AWS_CONFIG_FILE: '/home/u/.aws/config',
  AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1',
};

test('C6 server child env: the endpoint and its token in, every variable that wins over them or confuses the SDKs out', () => {
  const vars = [
    ...containerEnv({ url: 'http://127.0.0.1:4321/p/credentials', token: 'fresh' }),
    ['AWS_REGION', 'eu-west-1'] as [string, string],
  ];
  const env = buildChildEnv(PARENT, vars, serverEnvToUnset(vars), 'app');
  assert.equal(env.AWS_CONTAINER_CREDENTIALS_FULL_URI, 'http://127.0.0.1:4321/p/credentials');
  assert.equal(env.AWS_CONTAINER_AUTHORIZATION_TOKEN, 'fresh');
  assert.equal(env.AWS_REGION, 'eu-west-1');
  assert.equal(env.SWROLE_PROFILE, 'app');
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_SECURITY_TOKEN',
    'AWS_CREDENTIAL_EXPIRATION',
    'AWS_ACCESS_KEY',
    'AWS_SECRET_KEY',
    'AWS_ACCOUNT_ID',
    'AWS_PROFILE',
    'AWS_DEFAULT_PROFILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_ROLE_ARN',
    'AWS_ROLE_SESSION_NAME',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    'AWS_CREDENTIAL_FILE',
    'AWS_SDK_LOAD_CONFIG',
    'SWROLE_EXPIRATION',
  ]) {
    assert.equal(env[name], undefined, `${name} must not reach the child`);
  }
  // What the user chose and the SDKs need besides credentials stays.
  assert.equal(env.AWS_CONFIG_FILE, PARENT.AWS_CONFIG_FILE);
  assert.equal(env.AWS_ENDPOINT_URL_STS, PARENT.AWS_ENDPOINT_URL_STS);
  assert.equal(env.PATH, '/usr/bin');
  assert.ok(!Object.values(env).some((v) => v.includes('parent-')), 'no parent credential survives');
});

test('C6 serve --print-env: the two variables, and unsets of everything else that would win (sh); json has the two only', () => {
  const vars = containerEnv({ url: 'http://127.0.0.1:4321/p/credentials', token: 'fresh' });
  const sh = renderEnv(vars, serverEnvToUnset(vars), 'sh');
  assert.match(sh, /^export AWS_CONTAINER_CREDENTIALS_FULL_URI='http:\/\/127\.0\.0\.1:4321\/p\/credentials'$/m);
  assert.match(sh, /^export AWS_CONTAINER_AUTHORIZATION_TOKEN='fresh'$/m);
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_PROFILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  ]) {
    assert.match(sh, new RegExp(`^unset ${name}$`, 'm'));
  }
  assert.doesNotMatch(sh, /^unset AWS_CONTAINER_CREDENTIALS_FULL_URI$/m);
  assert.deepEqual(JSON.parse(renderEnv(vars, serverEnvToUnset(vars), 'json')), Object.fromEntries(vars));
  assert.equal(new Set(SERVER_CONFLICTING_ENV).size, SERVER_CONFLICTING_ENV.length);
});
