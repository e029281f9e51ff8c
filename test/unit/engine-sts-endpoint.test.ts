// resolveStsEndpoint as a spec sheet (docs/reference/aws-behaviour.md §2.1 endpoint keys, §2.5).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isValidRegionName, resolveStsEndpoint, type StsEndpointInput } from '../../src/sts/resolve-sts-endpoint.js';
import { isTransientError, type RetryPolicy, withRetry } from '../../src/sts/with-retry.js';
import { isStsTimeout, StsTimeoutError } from '../../src/sts/sts-timeout-error.js';
import { translateStsError } from '../../src/sts/translate-sts-error.js';
import { parseDuration } from '../../src/commands/credential-options.js';
import { parseProcessOutput } from '../../src/credentials/parse-process-output.js';

const base: StsEndpointInput = { env: {}, region: 'eu-west-1', profile: 'p' };
const rows: Array<[string, Partial<StsEndpointInput>, string, string]> = [
  ['regional by default', {}, 'https://sts.eu-west-1.amazonaws.com', 'eu-west-1'],
  ['no region → global, signed us-east-1', { region: null }, 'https://sts.amazonaws.com', 'us-east-1'],
  ['legacy + legacy region → global', { profileStsRegionalEndpoints: 'legacy' }, 'https://sts.amazonaws.com', 'us-east-1'],
  [
    'legacy + newer region stays regional',
    { region: 'ap-east-1', profileStsRegionalEndpoints: 'legacy' },
    'https://sts.ap-east-1.amazonaws.com',
    'ap-east-1',
  ],
  [
    'env AWS_STS_REGIONAL_ENDPOINTS beats profile',
    { env: { AWS_STS_REGIONAL_ENDPOINTS: 'regional' }, profileStsRegionalEndpoints: 'legacy' },
    'https://sts.eu-west-1.amazonaws.com',
    'eu-west-1',
  ],
  ['China partition', { region: 'cn-north-1' }, 'https://sts.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
  [
    'AWS_ENDPOINT_URL_STS first',
    {
      env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1/', AWS_ENDPOINT_URL: 'http://x' },
      servicesStsEndpointUrl: 'http://s',
      profileEndpointUrl: 'http://g',
    },
    'http://127.0.0.1:1',
    'eu-west-1',
  ],
  [
    '[services] sts endpoint_url before AWS_ENDPOINT_URL',
    { env: { AWS_ENDPOINT_URL: 'http://x' }, servicesStsEndpointUrl: 'http://s', profileEndpointUrl: 'http://g' },
    'http://s',
    'eu-west-1',
  ],
  [
    'AWS_ENDPOINT_URL before profile endpoint_url',
    { env: { AWS_ENDPOINT_URL: 'http://x' }, profileEndpointUrl: 'http://g' },
    'http://x',
    'eu-west-1',
  ],
  ['profile endpoint_url', { profileEndpointUrl: 'http://g' }, 'http://g', 'eu-west-1'],
  [
    'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores all',
    { env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_STS: 'http://e' }, profileEndpointUrl: 'http://g' },
    'https://sts.eu-west-1.amazonaws.com',
    'eu-west-1',
  ],
  [
    'profile ignore_configured_endpoint_urls',
    { profileIgnoreConfiguredEndpointUrls: 'true', profileEndpointUrl: 'http://g' },
    'https://sts.eu-west-1.amazonaws.com',
    'eu-west-1',
  ],
  [
    'env false overrides profile true',
    { env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' }, profileIgnoreConfiguredEndpointUrls: 'true', profileEndpointUrl: 'http://g' },
    'http://g',
    'eu-west-1',
  ],
];

describe('resolveStsEndpoint', () => {
  for (const [name, input, url, region] of rows) {
    it(name, () => {
      const out = resolveStsEndpoint({ ...base, ...input });
      assert.equal(out.url, url);
      assert.equal(out.signingRegion, region);
    });
  }
  it('a configured endpoint without a region cannot be called: E_NO_REGION at the first STS call, as botocore NoRegionError', () => {
    const out = resolveStsEndpoint({ ...base, region: null, env: { AWS_ENDPOINT_URL_STS: 'http://e' } });
    assert.equal(out.url, 'http://e', 'the URL still keys the cache');
    assert.throws(
      () => {
        throw out.deferredError;
      },
      {
        code: 'E_NO_REGION',
        exit: 3,
        message: 'profile "p": an STS endpoint URL is configured (http://e) but no region',
        hint: /set `region` in the profile, AWS_REGION, or pass --region/,
      },
    );
  });
  // botocore.utils.validate_region_name, checked against botocore 1.43 create_client (issue 15: exit 4 before).
  const regionRows: Array<[string, boolean]> = [
    ['us-east-1', true],
    ['eu-west-3', true],
    ['us-gov-west-1', true],
    ['cn-north-1', true],
    ['aws-global', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['us-east-1; rm -rf', false],
    ['bad region', false],
    ['123', false],
    ['-x', false],
    ['x-', false],
    ['us_east_1', false],
    // Python's `$` lets one trailing newline through validate_region_name; no hostname holds one, so swrole refuses it.
    ['us-east-1\n', false],
  ];
  for (const [region, valid] of regionRows) {
    it(`region ${JSON.stringify(region)} is ${valid ? 'valid' : 'E_INVALID_REGION (exit 3) at the first STS call'}`, () => {
      for (const env of [{}, { AWS_ENDPOINT_URL_STS: 'http://e' }]) {
        const out = resolveStsEndpoint({ ...base, region, env });
        assert.equal(isValidRegionName(region), valid);
        if (valid) assert.equal(out.deferredError, undefined);
        else
          assert.throws(
            () => {
              throw out.deferredError;
            },
            {
              code: 'E_INVALID_REGION',
              exit: 3,
              message: `profile "p": region ${JSON.stringify(region)} is not a valid region name (botocore: "doesn't match a supported format")`,
              hint: /fix `region` in the profile, AWS_REGION \/ AWS_DEFAULT_REGION, or --region/,
            },
          );
      }
    });
  }
});

describe('withRetry', () => {
  it('retries transient errors up to 3 attempts, never others', async () => {
    let n = 0;
    const sleep = async () => {};
    await assert.rejects(
      withRetry(
        async () => {
          n++;
          throw Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } });
        },
        { sleep },
      ),
    );
    assert.equal(n, 3);
    n = 0;
    await assert.rejects(
      withRetry(
        async () => {
          n++;
          throw Object.assign(new Error('x'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
        },
        { sleep },
      ),
    );
    assert.equal(n, 1);
    assert.equal(isTransientError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })), true);
  });
});

describe('withRetry deadlines (issue 15: STS can hang swrole forever)', () => {
  const never = () => new Promise<never>(() => undefined);
  const fast = { baseDelayMs: 1, minAttemptMs: 10 };
  const rows: Array<[string, RetryPolicy, number, number]> = [
    // name, policy, attempts expected, total wait bound (ms)
    ['one attempt, its own deadline', { ...fast, attempts: 1, attemptTimeoutMs: 60, budgetMs: 1000 }, 1, 60],
    ['three attempts inside the series deadline', { ...fast, attempts: 3, attemptTimeoutMs: 60, budgetMs: 1000 }, 3, 180],
    ['the series deadline cuts the running attempt', { ...fast, attempts: 3, attemptTimeoutMs: 500, budgetMs: 150 }, 1, 150],
    [
      'no attempt starts with less than minAttemptMs left',
      { ...fast, attempts: 5, attemptTimeoutMs: 60, budgetMs: 100, minAttemptMs: 50 },
      1,
      60,
    ],
  ];
  for (const [name, policy, attempts, waitMs] of rows) {
    it(`${name}: a request that never answers ends as StsTimeoutError`, async () => {
      let calls = 0;
      const started = performance.now();
      const error = await withRetry(() => {
        calls++;
        return never();
      }, policy).then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
      const took = performance.now() - started;
      assert.ok(isStsTimeout(error), String(error));
      assert.equal(calls, attempts);
      assert.equal(error.attempts, attempts);
      // It waited its deadline out, and ended well before the 5 s default attempt timeout it would otherwise reach
      // (the room above waitMs is for a loaded machine, not a budget).
      assert.ok(took >= waitMs - 5 && took < waitMs + 3000, `took ${took.toFixed(0)} ms, expected about ${waitMs}`);
    });
  }
  it('aborts the attempt signal at the deadline (the SDK destroys the request on it)', async () => {
    let seen: AbortSignal | undefined;
    await assert.rejects(
      withRetry(
        (signal) => {
          seen = signal;
          return never();
        },
        { ...fast, attempts: 1, attemptTimeoutMs: 30 },
      ),
      (e: unknown) => isStsTimeout(e),
    );
    assert.equal(seen?.aborted, true);
    assert.ok(isStsTimeout(seen?.reason));
  });
  it('an answer within the deadline is returned and its signal is never aborted', async () => {
    let seen: AbortSignal | undefined;
    const out = await withRetry(
      async (signal) => {
        seen = signal;
        return 'ok';
      },
      { attemptTimeoutMs: 50 },
    );
    assert.equal(out, 'ok');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(seen?.aborted, false);
  });
  it('translates to E_STS_TIMEOUT (exit 4) naming the endpoint and the proxy, never the proxy password', () => {
    const e = translateStsError(new StsTimeoutError(10_123, 2), {
      operation: 'AssumeRole',
      profile: 'p',
      roleArn: 'arn:aws:iam::111111111111:role/R',
      endpoint: 'https://sts.eu-west-1.amazonaws.com',
      transport: {
        proxy: { url: 'http://user:s3cret@proxy.example:3128', display: 'http://proxy.example:3128', from: 'HTTPS_PROXY' },
        caBundle: null,
      },
    });
    assert.equal(e.code, 'E_STS_TIMEOUT');
    assert.equal(e.exit, 4);
    assert.match(
      e.message,
      /no answer from STS at https:\/\/sts\.eu-west-1\.amazonaws\.com via proxy http:\/\/proxy\.example:3128 within 10 s \(2 attempts\)/,
    );
    assert.match(e.hint ?? '', /proxy http:\/\/proxy\.example:3128 \(from HTTPS_PROXY/);
    assert.ok(!`${e.message} ${e.hint}`.includes('s3cret'));
  });
});

describe('parseDuration', () => {
  for (const [text, seconds] of [
    ['3600', 3600],
    ['1h', 3600],
    ['30m', 1800],
    ['1h30m', 5400],
    ['90s', 90],
  ] as const) {
    it(`${text} → ${seconds}`, () => assert.equal(parseDuration('env', text), seconds));
  }
  it('rejects junk with a usage error', () =>
    assert.throws(() => parseDuration('env', '1 day'), {
      code: 'E_USAGE',
      exit: 2,
      message: /^env: .*1 day/,
      hint: 'run `swrole env --help`',
    }));
});

describe('parseProcessOutput (docs/reference/aws-behaviour.md §3.1)', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('accepts Version 1 with optional fields', () => {
    const c = parseProcessOutput(
      '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":"2026-01-01T01:00:00UTC"}',
      'p',
      now,
    );
    assert.deepEqual(c, { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T', expiration: '2026-01-01T01:00:00.000Z' });
  });
  for (const [body, pattern] of [
    ['nope', /invalid JSON/],
    ['{"Version":"1","AccessKeyId":"A","SecretAccessKey":"S"}', /unsupported version '1'/],
    ['{"AccessKeyId":"A","SecretAccessKey":"S"}', /Version key not provided/],
    ['{"Version":1,"SecretAccessKey":"S"}', /AccessKeyId/],
    ['{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2025-01-01T00:00:00Z"}', /expired/],
  ] as const) {
    it(`rejects ${body}`, () =>
      assert.throws(() => parseProcessOutput(body, 'p', now), {
        code: 'E_PROCESS_OUTPUT',
        exit: 4,
        message: new RegExp(`^profile "p": credential_process .*${pattern.source}`),
        hint: /must print \{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …\} on stdout/,
      }));
  }
});
