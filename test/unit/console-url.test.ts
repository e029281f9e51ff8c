// C4 (unit): the console sign-in endpoint and console host per partition and region, the getSigninToken and login
// URLs, where a session lands, the browser command, and the federated user's name — as spec sheets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { federationUrl, resolveSigninEndpoint } from '../../src/console/signin-endpoint.js';
import { renderLoginUrl, renderSigninTokenUrl, resolveDestination } from '../../src/console/login-url.js';
import { browserCommand } from '../../src/console/open-browser.js';
import { federatedUserName } from '../../src/credentials/console-credentials.js';
import { isSwroleError } from '../../src/errors.js';

const PARTITIONS: Array<[string | null, string, string, string]> = [
  // region, partition, federation endpoint, console home
  [
    'us-east-1',
    'aws',
    'https://signin.aws.amazon.com/federation',
    'https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1',
  ],
  [
    'eu-west-1',
    'aws',
    'https://eu-west-1.signin.aws.amazon.com/federation',
    'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1',
  ],
  [
    'ap-southeast-4',
    'aws',
    'https://ap-southeast-4.signin.aws.amazon.com/federation',
    'https://ap-southeast-4.console.aws.amazon.com/console/home?region=ap-southeast-4',
  ],
  ['cn-north-1', 'aws-cn', 'https://signin.amazonaws.cn/federation', 'https://console.amazonaws.cn/console/home?region=cn-north-1'],
  ['cn-northwest-1', 'aws-cn', 'https://signin.amazonaws.cn/federation', 'https://console.amazonaws.cn/console/home?region=cn-northwest-1'],
  [
    'us-gov-west-1',
    'aws-us-gov',
    'https://signin.amazonaws-us-gov.com/federation',
    'https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1',
  ],
  [
    'us-gov-east-1',
    'aws-us-gov',
    'https://signin.amazonaws-us-gov.com/federation',
    'https://console.amazonaws-us-gov.com/console/home?region=us-gov-east-1',
  ],
  // A region swrole does not know, but well formed: its regional endpoints (new regions get them at launch).
  [
    'mx-central-7',
    'aws',
    'https://mx-central-7.signin.aws.amazon.com/federation',
    'https://mx-central-7.console.aws.amazon.com/console/home?region=mx-central-7',
  ],
  // Not a region name: never put into a host name; the global endpoint and console.
  ['aws-global', 'aws', 'https://signin.aws.amazon.com/federation', 'https://console.aws.amazon.com/console/home'],
  ['evil.example.com/x', 'aws', 'https://signin.aws.amazon.com/federation', 'https://console.aws.amazon.com/console/home'],
  [null, 'aws', 'https://signin.aws.amazon.com/federation', 'https://console.aws.amazon.com/console/home'],
];

for (const [region, partition, federation, home] of PARTITIONS) {
  test(`C4 sign-in endpoint for ${region ?? 'no region'}: ${federation}, console ${home}`, () => {
    const endpoint = resolveSigninEndpoint(region);
    assert.equal(endpoint.partition, partition);
    assert.equal(endpoint.federation, federation);
    assert.equal(endpoint.consoleHome, home);
  });
}

test('C4 isolated partitions have no public console: E_CONSOLE_PARTITION', () => {
  for (const region of ['us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1']) {
    assert.throws(
      () => resolveSigninEndpoint(region),
      (e: unknown) => isSwroleError(e) && e.code === 'E_CONSOLE_PARTITION' && e.exit === 3,
      region,
    );
  }
});

test('AWS_ENDPOINT_URL_SIGNIN replaces the federation origin (the emulator, a private endpoint)', () => {
  const endpoint = resolveSigninEndpoint('eu-west-1');
  assert.equal(federationUrl(endpoint, {}), 'https://eu-west-1.signin.aws.amazon.com/federation');
  assert.equal(federationUrl(endpoint, { AWS_ENDPOINT_URL_SIGNIN: 'http://127.0.0.1:4567/' }), 'http://127.0.0.1:4567/federation');
  assert.equal(federationUrl(endpoint, { AWS_ENDPOINT_URL_SIGNIN: '  ' }), 'https://eu-west-1.signin.aws.amazon.com/federation');
});

test('getSigninToken URL: the session as URL-encoded JSON; SessionDuration only when given', () => {
  const creds = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'se/cr+et=', sessionToken: 'to&ken' };
  const without = new URL(renderSigninTokenUrl('https://signin.aws.amazon.com/federation', creds, undefined));
  assert.equal(without.searchParams.get('Action'), 'getSigninToken');
  assert.equal(without.searchParams.has('SessionDuration'), false);
  assert.deepEqual(JSON.parse(without.searchParams.get('Session')!), {
    sessionId: 'ASIAEXAMPLE',
    sessionKey: 'se/cr+et=',
    sessionToken: 'to&ken',
  });
  const withDuration = new URL(renderSigninTokenUrl('https://signin.aws.amazon.com/federation', creds, 3600));
  assert.equal(withDuration.searchParams.get('SessionDuration'), '3600');
});

test('C1 login URL shape: Action=login, Issuer=swrole, Destination and SigninToken URL-encoded', () => {
  const url = renderLoginUrl(
    'https://eu-west-1.signin.aws.amazon.com/federation',
    'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1',
    'tok+en/=',
  );
  assert.equal(
    url,
    'https://eu-west-1.signin.aws.amazon.com/federation?Action=login&Issuer=swrole' +
      '&Destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fconsole%2Fhome%3Fregion%3Deu-west-1&SigninToken=tok%2Ben%2F%3D',
  );
  const parsed = new URL(url);
  assert.equal(parsed.searchParams.get('SigninToken'), 'tok+en/=');
});

test('where the session lands: --destination as given, --service NAME on the partition console, else its home', () => {
  const eu = resolveSigninEndpoint('eu-west-1');
  assert.equal(resolveDestination(eu, 'eu-west-1', {}), 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1');
  assert.equal(resolveDestination(eu, 'eu-west-1', { service: 's3' }), 'https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1');
  const cn = resolveSigninEndpoint('cn-north-1');
  assert.equal(resolveDestination(cn, 'cn-north-1', { service: 'ec2' }), 'https://console.amazonaws.cn/ec2/home?region=cn-north-1');
  assert.equal(resolveDestination(eu, 'eu-west-1', { destination: 'https://example.com/x' }), 'https://example.com/x');
  assert.equal(resolveDestination(resolveSigninEndpoint(null), null, { service: 'iam' }), 'https://console.aws.amazon.com/iam/home');
});

test('browser command: SWROLE_BROWSER, then BROWSER (%s or the URL last), then the platform opener; the URL is one argument', () => {
  const url = 'https://signin.aws.amazon.com/federation?Action=login&Destination=a%20b';
  assert.deepEqual(browserCommand(url, { SWROLE_BROWSER: 'firefox --new-window', BROWSER: 'chromium' }, 'linux'), {
    file: 'firefox',
    args: ['--new-window', url],
    from: 'SWROLE_BROWSER',
  });
  assert.deepEqual(browserCommand(url, { BROWSER: "'/opt/my browser/bin' --url=%s" }, 'linux'), {
    file: '/opt/my browser/bin',
    args: [`--url=${url}`],
    from: 'BROWSER',
  });
  assert.deepEqual(browserCommand(url, {}, 'linux'), { file: 'xdg-open', args: [url], from: 'xdg-open' });
  assert.deepEqual(browserCommand(url, {}, 'darwin'), { file: 'open', args: [url], from: 'open' });
  assert.deepEqual(browserCommand(url, {}, 'win32'), { file: 'rundll32', args: ['url.dll,FileProtocolHandler', url], from: 'rundll32' });
  assert.throws(
    () => browserCommand(url, { BROWSER: "'unclosed" }, 'linux'),
    (e: unknown) => isSwroleError(e) && e.code === 'E_CONSOLE_BROWSER',
  );
});

test('C2 GetFederationToken Name: the IAM user name, 2–32 characters of [\\w+=,.@-]', () => {
  assert.equal(federatedUserName('arn:aws:iam::333333333333:user/example.user'), 'example.user');
  assert.equal(federatedUserName('arn:aws:iam::333333333333:user/division/team/alice'), 'alice');
  assert.equal(federatedUserName(`arn:aws:iam::333333333333:user/${'a'.repeat(64)}`), 'a'.repeat(32));
  assert.equal(federatedUserName('arn:aws:iam::333333333333:root'), 'root');
  assert.equal(federatedUserName('arn:aws:iam::333333333333:user/x'), 'x-');
  assert.match(federatedUserName('arn:aws:iam::333333333333:user/bad name!'), /^[\w+=,.@-]{2,32}$/);
});
