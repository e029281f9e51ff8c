import { SwroleError } from '../errors.js';
import type { StsEndpoint } from './gateway.js';
import { isTrueSetting, nonBlank } from '../config/setting-text.js';

/**
 * Regions whose `sts_regional_endpoints = legacy` setting sends STS to the global endpoint
 * (botocore/data/sts/2011-06-15/endpoint-rule-set-1.json, `UseGlobalEndpoint`; docs/reference/aws-behaviour.md §2.5).
 */
const LEGACY_GLOBAL_REGIONS = new Set([
  'ap-northeast-1',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'aws-global',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
]);

export interface StsEndpointInput {
  env: Readonly<Record<string, string | undefined>>;
  /** The selected profile's `endpoint_url`, `sts_regional_endpoints`, `ignore_configured_endpoint_urls`. */
  profileEndpointUrl?: string | undefined;
  profileStsRegionalEndpoints?: string | undefined;
  profileIgnoreConfiguredEndpointUrls?: string | undefined;
  /** `endpoint_url` of the `sts` sub-section of the profile's `[services x]` section. */
  servicesStsEndpointUrl?: string | undefined;
  /** Session region (flag, env, selected profile), or null when none is configured. */
  region: string | null;
  /** For messages. */
  profile: string;
}

/**
 * botocore's `validate_region_name` (botocore/utils.py), run whenever it creates a client, custom endpoint or
 * not: a host label that is not all digits and neither starts nor ends with "-". Anything else is
 * `InvalidRegionError`, a configuration error, not something to send to STS (issue 15: it was exit 4).
 */
const VALID_REGION = /^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{0,63}(?<!-)$/;

export function isValidRegionName(region: string): boolean {
  return VALID_REGION.test(region);
}

/**
 * Where botocore sends STS for role assumption (docs/reference/aws-behaviour.md §2.1 endpoint keys, §2.5), as a pure ladder:
 * configured endpoint URLs first (service env, service config, global env, global config — the order of
 * botocore's `EndpointResolverBuiltins`), unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`; then the regional
 * endpoint; no region at all → the global endpoint signed for us-east-1. A configured URL without a region
 * (E_NO_REGION) or an invalid region (E_INVALID_REGION) gives an endpoint whose `deferredError` the first STS
 * call throws.
 */
export function resolveStsEndpoint(input: StsEndpointInput): StsEndpoint {
  const endpoint = resolveUrl(input);
  const { region } = input;
  if (region !== null && !isValidRegionName(region)) {
    const error = new SwroleError(
      'E_INVALID_REGION',
      `profile "${input.profile}": region ${JSON.stringify(region)} is not a valid region name (botocore: "doesn't match a supported format")`,
      { hint: 'a region looks like us-east-1 or eu-west-3: fix `region` in the profile, AWS_REGION / AWS_DEFAULT_REGION, or --region' },
    );
    return { ...endpoint, deferredError: error };
  }
  return endpoint;
}

function resolveUrl(input: StsEndpointInput): StsEndpoint {
  const { env, region } = input;
  const ignore =
    nonBlank(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) !== undefined
      ? isTrueSetting(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)
      : isTrueSetting(input.profileIgnoreConfiguredEndpointUrls);
  if (!ignore) {
    const configured: Array<[string | undefined, StsEndpoint['source']]> = [
      [nonBlank(env.AWS_ENDPOINT_URL_STS), 'env-service'],
      [nonBlank(input.servicesStsEndpointUrl), 'config-service'],
      [nonBlank(env.AWS_ENDPOINT_URL), 'env-global'],
      [nonBlank(input.profileEndpointUrl), 'config-global'],
    ];
    for (const [url, source] of configured) {
      if (url === undefined) continue;
      // botocore: a custom endpoint without a region is `NoRegionError: You must specify a region.`
      if (region === null) {
        const deferredError = new SwroleError(
          'E_NO_REGION',
          `profile "${input.profile}": an STS endpoint URL is configured (${url}) but no region`,
          {
            hint: 'set `region` in the profile, AWS_REGION, or pass --region',
          },
        );
        return { url: url.replace(/\/+$/, ''), signingRegion: 'us-east-1', source, deferredError };
      }
      return { url: url.replace(/\/+$/, ''), signingRegion: region, source };
    }
  }
  if (region === null || region === 'aws-global') {
    return { url: 'https://sts.amazonaws.com', signingRegion: 'us-east-1', source: 'global' };
  }
  const mode = nonBlank(env.AWS_STS_REGIONAL_ENDPOINTS) ?? nonBlank(input.profileStsRegionalEndpoints) ?? 'regional';
  if (mode.toLowerCase() === 'legacy' && LEGACY_GLOBAL_REGIONS.has(region)) {
    return { url: 'https://sts.amazonaws.com', signingRegion: 'us-east-1', source: 'global' };
  }
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return { url: `https://sts.${region}.${suffix}`, signingRegion: region, source: 'regional' };
}
