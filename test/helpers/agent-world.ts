// The world of the agent interop tests (test/agents/): the sample STS world plus the roles real accounts have,
// a user's ~/.aws written the way people write it (every profile reaching STS through a `[services]` endpoint,
// which the agent's view carries over), and the commands an agent runs to see who it is.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { World } from '../../emulator/world.js';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  MFA_SERIAL,
  ROLE_A_ARN,
  ROLE_NO_MFA_ARN,
  ROLE_READ_ONLY_ARN,
  sampleWorld,
  USER_ARN,
} from './emulator-world.js';
import { sampleCredentials, writeUserAwsFiles } from './swrole-run.js';
import { APP_ROLE_ARN, DEV_ACCOUNT, SESSION, SSO_REGION, ssoWorld, START_URL } from './sso-world.js';

/** A role whose trust policy allows only sts:AssumeRole (with MFA): no sts:TagSession, no sts:SetSourceIdentity. */
export const ROLE_PLAIN_ARN = `arn:aws:iam::${ACCOUNT_A}:role/RolePlain`;
/** The role a Bedrock user's Claude Code signs its model calls with (tags allowed, no MFA). */
export const ROLE_BEDROCK_ARN = `arn:aws:iam::${ACCOUNT_B}:role/RoleBedrock`;
export const READ_ONLY_POLICY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

export function agentWorld(): World {
  const world = sampleWorld();
  world.accounts[ACCOUNT_A]!.roles!.RolePlain = {
    maxSessionDuration: 3600,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: USER_ARN },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
    },
  };
  world.accounts[ACCOUNT_B]!.roles!.RoleBedrock = {
    maxSessionDuration: 3600,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: USER_ARN }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }],
    },
  };
  // IAM Identity Center (issue 11): the SSO world's instance (alice: Admin and ReadOnly in 111111111111) and its
  // App role in 444444444444, which trusts that account (a role chained on an SSO profile).
  const sso = ssoWorld();
  world.identityCenter = sso.identityCenter;
  Object.assign(world.accounts, sso.accounts);
  return world;
}

/**
 * A user's ~/.aws/config: the static-key profile `base` (keys in ~/.aws/credentials), MFA roles `a` (tags allowed)
 * and `plain` (AssumeRole only), `nomfa` (no MFA), `bedrock` (Claude Code's own model access), and `prod`, which
 * is never granted. Every profile reaches STS at `stsUrl` through `[services sts-endpoint]`.
 */
export function agentUserConfig(stsUrl: string, options: { sso?: boolean } = {}): string {
  const profile = (name: string, lines: string[]) => [`[profile ${name}]`, ...lines, 'region = us-east-1', 'services = sts-endpoint', ''];
  // With `sso`: an IAM Identity Center sign-in (`[sso-session corp]`), `sso-dev` (Admin in 111111111111) and
  // `sso-app` (the App role chained on it); the portal and OIDC reached through the same `[services]` section.
  const sso = options.sso
    ? [
        `[sso-session ${SESSION}]`,
        `sso_start_url = ${START_URL}`,
        `sso_region = ${SSO_REGION}`,
        'sso_registration_scopes = sso:account:access',
        '',
        ...profile('sso-dev', [`sso_session = ${SESSION}`, `sso_account_id = ${DEV_ACCOUNT}`, 'sso_role_name = Admin']),
        ...profile('sso-app', [`role_arn = ${APP_ROLE_ARN}`, 'source_profile = sso-dev']),
      ]
    : [];
  const ssoEndpoints = options.sso ? ['sso =', `  endpoint_url = ${stsUrl}`, 'sso_oidc =', `  endpoint_url = ${stsUrl}`] : [];
  return [
    '[default]',
    'region = us-east-1',
    'services = sts-endpoint',
    '',
    ...profile('base', []),
    ...profile('a', [`role_arn = ${ROLE_A_ARN}`, 'source_profile = base', `mfa_serial = ${MFA_SERIAL}`]),
    ...profile('plain', [`role_arn = ${ROLE_PLAIN_ARN}`, 'source_profile = base', `mfa_serial = ${MFA_SERIAL}`]),
    ...profile('nomfa', [`role_arn = ${ROLE_NO_MFA_ARN}`, 'source_profile = base']),
    ...profile('bedrock', [`role_arn = ${ROLE_BEDROCK_ARN}`, 'source_profile = base']),
    ...profile('prod', [`role_arn = ${ROLE_READ_ONLY_ARN}`, 'source_profile = base', `mfa_serial = ${MFA_SERIAL}`]),
    ...sso,
    '[services sts-endpoint]',
    'sts =',
    `  endpoint_url = ${stsUrl}`,
    ...ssoEndpoints,
    '',
  ].join('\n');
}

/** A fresh user: HOME with ~/.aws/config (agentUserConfig) and ~/.aws/credentials (base = the sample user's keys). */
export function createUserHome(root: string, name: string, stsUrl: string, options: { sso?: boolean } = {}): string {
  const home = join(root, name, 'home');
  mkdirSync(home, { recursive: true });
  writeUserAwsFiles(home, agentUserConfig(stsUrl, options), sampleCredentials());
  return home;
}

/** A git project (what `swrole agent claude` and Claude Code both expect) with optional subfolders. */
export function createProject(root: string, name: string, ...subdirs: string[]): string {
  const p = join(root, name, 'project');
  mkdirSync(p, { recursive: true });
  for (const sub of subdirs) mkdirSync(join(p, sub), { recursive: true });
  // A package.json, as most projects have: under CLAUDE_CODE_SUBPROCESS_ENV_SCRUB, Claude Code 2.1.332 runs Bash
  // behind protected paths and leaves an empty placeholder for each protected file that is missing (package.json,
  // .env, .npmrc…); an empty package.json breaks every `node -e` in the project.
  writeFileSync(join(p, 'package.json'), `${JSON.stringify({ name: name.replace(/[^a-z0-9-]/g, '-'), private: true })}\n`);
  const git = spawnSync('git', ['init', '-q'], { cwd: p, encoding: 'utf8' });
  if (git.status !== 0) throw new Error(`git init ${p}: ${git.stderr}`);
  return p;
}

// What an agent runs to see who it is, one tool each. Each prints one line. No single quotes inside the
// scripts: they go into bash as `python3 -c '…'` / `node -e '…'`.
const PY_ARN = 'import boto3; print(boto3.client("sts").get_caller_identity()["Arn"])';
const PY_KEY =
  'import boto3; c = boto3.Session().get_credentials(); f = c.get_frozen_credentials() if c else None; ' +
  'print("no credentials" if f is None else f.access_key + (" with-token" if f.token else " no-token"))';
const NODE_ARN =
  'const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts"); ' +
  'new STSClient({}).send(new GetCallerIdentityCommand({})).then((r) => console.log(r.Arn), (e) => { console.log("error: " + e.message); process.exit(1); });';
const NODE_KEY =
  'const { defaultProvider } = require("@aws-sdk/credential-provider-node"); ' +
  'defaultProvider()().then((c) => console.log(c.accessKeyId + (c.sessionToken ? " with-token" : " no-token")), (e) => { console.log("error: " + e.message); process.exit(1); });';

// The Node SDK as a script behind a proxy must be written (Node 20's https ignores HTTPS_PROXY): a CONNECT tunnel
// through the proxy the environment names, the handler every such script passes to its client.
const NODE_ARN_VIA_PROXY =
  'const http = require("http"), https = require("https"), tls = require("tls"); ' +
  'const { NodeHttpHandler } = require("@smithy/node-http-handler"); ' +
  'const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts"); ' +
  'const p = new URL(process.env.HTTPS_PROXY || process.env.https_proxy); ' +
  'class Tunnel extends https.Agent { createConnection(o, cb) { ' +
  'const auth = p.username ? { "Proxy-Authorization": "Basic " + Buffer.from(decodeURIComponent(p.username) + ":" + decodeURIComponent(p.password)).toString("base64") } : {}; ' +
  'http.request({ host: p.hostname, port: p.port, method: "CONNECT", path: o.host + ":" + o.port, headers: auth }).on("connect", (res, s) => ' +
  'res.statusCode === 200 ? cb(null, tls.connect({ socket: s, servername: o.servername || o.host })) : cb(new Error("proxy " + res.statusCode))' +
  ').on("error", cb).end(); } } ' +
  'new STSClient({ requestHandler: new NodeHttpHandler({ httpsAgent: new Tunnel() }) }).send(new GetCallerIdentityCommand({}))' +
  '.then((r) => console.log(r.Arn), (e) => { console.log("error: " + e.message); process.exit(1); });';

export const WHO = {
  awsCli: (args = '') => `aws sts get-caller-identity${args} --query Arn --output text`,
  boto3: () => `python3 -c '${PY_ARN}'`,
  nodeSdk: () => `node -e '${NODE_ARN}'`,
  /** The Node SDK through the proxy in HTTPS_PROXY, as a Node 20 script behind a proxy must be written. */
  nodeSdkViaProxy: () => `node -e '${NODE_ARN_VIA_PROXY}'`,
  /** The access key id boto3 resolved, and whether it has a session token. */
  boto3Key: () => `python3 -c '${PY_KEY}'`,
  /** The access key id the Node SDK's default chain resolved (credentials only, no STS call of its own). */
  nodeKey: () => `node -e '${NODE_KEY}'`,
};

/** An assumed-role ARN of `role` issued to the agent (`swrole-<user>-claude`), alone on the output. */
export const agentArn = (roleArn: string): RegExp => {
  const [, account, name] = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn)!;
  return new RegExp(`^arn:aws:sts::${account}:assumed-role/${name}/swrole-[\\w+=,.@-]*-claude\\s*$`);
};

/** A long-term access key id anywhere in a text. */
export const LONG_TERM_KEY = /\bAKIA[A-Z0-9]{16}\b/;
