import { SwroleError } from '../errors.js';

/** Where a partition signs in and where its console lives (docs/reference/sso-keyring-console.md C.1 "Endpoints"). */
export interface SigninEndpoint {
  partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  /** `https://…/federation`: getSigninToken and the login URL. */
  federation: string;
  /** The console URL a session lands on by default (`?region=` when a region is known). */
  consoleHome: string;
  /** The console origin, for `--service NAME` (`<origin>/<name>/home?region=…`). */
  consoleOrigin: string;
}

/** A well-formed region name (`eu-west-1`, `ap-southeast-4`, `us-gov-west-1`), never an arbitrary host label. */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ISOLATED = /^(?:us-iso[a-z]*|eu-iso[a-z]*)-/;

function home(origin: string, region: string | null): string {
  return region === null ? `${origin}/console/home` : `${origin}/console/home?region=${region}`;
}

/**
 * PURE: the sign-in endpoint and console for a region. aws: `signin.aws.amazon.com` for us-east-1 and when no
 * (well-formed) region is known, `<region>.signin.aws.amazon.com` otherwise; console `<region>.console.aws.amazon.com`.
 * aws-cn: `signin.amazonaws.cn`, console `console.amazonaws.cn`. aws-us-gov: `signin.amazonaws-us-gov.com`, console
 * `console.amazonaws-us-gov.com`. The isolated partitions have no public console: refused.
 */
export function resolveSigninEndpoint(region: string | null): SigninEndpoint {
  const r = region !== null && REGION.test(region) ? region : null;
  if (r?.startsWith('cn-')) {
    const origin = 'https://console.amazonaws.cn';
    return {
      partition: 'aws-cn',
      federation: 'https://signin.amazonaws.cn/federation',
      consoleHome: home(origin, r),
      consoleOrigin: origin,
    };
  }
  if (r?.startsWith('us-gov-')) {
    const origin = 'https://console.amazonaws-us-gov.com';
    return {
      partition: 'aws-us-gov',
      federation: 'https://signin.amazonaws-us-gov.com/federation',
      consoleHome: home(origin, r),
      consoleOrigin: origin,
    };
  }
  if (r !== null && ISOLATED.test(r)) {
    throw new SwroleError('E_CONSOLE_PARTITION', `region ${r} is in an isolated AWS partition, which has no public console sign-in`, {
      hint: 'pass --region with a region of the aws, aws-cn or aws-us-gov partition',
    });
  }
  if (r === null || r === 'us-east-1') {
    const origin = r === null ? 'https://console.aws.amazon.com' : 'https://us-east-1.console.aws.amazon.com';
    return {
      partition: 'aws',
      federation: 'https://signin.aws.amazon.com/federation',
      consoleHome: home(origin, r),
      consoleOrigin: origin,
    };
  }
  const origin = `https://${r}.console.aws.amazon.com`;
  return {
    partition: 'aws',
    federation: `https://${r}.signin.aws.amazon.com/federation`,
    consoleHome: home(origin, r),
    consoleOrigin: origin,
  };
}

/**
 * `AWS_ENDPOINT_URL_SIGNIN` (the SDKs' per-service endpoint variable for the Sign-In service) replaces the
 * federation endpoint's origin: the STS emulator's `/federation` in tests, a proxy or private endpoint otherwise.
 */
export function federationUrl(endpoint: SigninEndpoint, env: Readonly<Record<string, string | undefined>>): string {
  const override = env.AWS_ENDPOINT_URL_SIGNIN?.trim();
  return override ? `${override.replace(/\/+$/, '')}/federation` : endpoint.federation;
}
