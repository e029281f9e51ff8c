import { isTrueSetting, nonBlank } from '../config/setting-text.js';

export interface SsoEndpoints {
  /** SSO-OIDC (RegisterClient, device authorization, CreateToken; the PKCE authorize page is `<oidc>/authorize`). */
  oidc: string;
  /** The access portal (GetRoleCredentials, ListAccounts, ListAccountRoles, Logout). */
  portal: string;
}

export interface SsoEndpointInput {
  env: Readonly<Record<string, string | undefined>>;
  /** sso_region. */
  region: string;
  startUrl: string;
  /** The selected profile's `endpoint_url` and `ignore_configured_endpoint_urls`. */
  profileEndpointUrl?: string | undefined;
  profileIgnoreConfiguredEndpointUrls?: string | undefined;
  /** `endpoint_url` of the `sso` / `sso_oidc` sub-sections of the profile's `[services x]` section. */
  servicesSso?: string | undefined;
  servicesSsoOidc?: string | undefined;
}

/** Identity Center instances on dual-stack start URLs (`*.app.aws`) need the dual-stack endpoints (aws-cli#10507). */
function dnsSuffix(region: string, startUrl: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  try {
    if (new URL(startUrl).hostname.endsWith('.app.aws')) return 'api.aws';
  } catch {
    // a start URL that does not parse is refused when it is used
  }
  return 'amazonaws.com';
}

/**
 * Where the SSO clients of botocore and the JS SDK send their calls (docs/reference/sso-keyring-console.md A.1,
 * A.13): the service's env variable (AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC), the `[services]` entry,
 * AWS_ENDPOINT_URL, the profile's endpoint_url — unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS —, then the regional
 * default. PURE.
 */
export function resolveSsoEndpoints(input: SsoEndpointInput): SsoEndpoints {
  const { env } = input;
  const ignore =
    nonBlank(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) !== undefined
      ? isTrueSetting(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)
      : isTrueSetting(input.profileIgnoreConfiguredEndpointUrls);
  const suffix = dnsSuffix(input.region, input.startUrl);
  const pick = (serviceEnv: string | undefined, services: string | undefined, fallback: string) => {
    if (!ignore) {
      for (const url of [serviceEnv, services, env.AWS_ENDPOINT_URL, input.profileEndpointUrl]) {
        const value = nonBlank(url);
        if (value !== undefined) return value.replace(/\/+$/, '');
      }
    }
    return fallback;
  };
  return {
    oidc: pick(env.AWS_ENDPOINT_URL_SSO_OIDC, input.servicesSsoOidc, `https://oidc.${input.region}.${suffix}`),
    portal: pick(env.AWS_ENDPOINT_URL_SSO, input.servicesSso, `https://portal.sso.${input.region}.${suffix}`),
  };
}
