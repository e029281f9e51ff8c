/**
 * Every setting an STS / IAM Identity Center client would load from ~/.aws by itself, given explicitly (issue 16).
 * The client runtime (e.g. @aws-sdk/client-sts runtimeConfig.js) calls @smithy's `loadConfig` for each setting it
 * was not given, and each call re-parses the whole config and credentials files (seconds of CPU at 50,000
 * profiles, per setting, per client). Here the SDK's own selectors read the same environment and the same profile
 * (sdk-shared-settings.ts, from swrole's parse), in loadConfig's order: environment, then the shared files, then the
 * default; a selector that throws passes to the next source, as in @smithy's `chain`. The SDK thus sees the values it
 * would have read, and its file loader never runs. Loaded with the SDK chunk only (a cache miss).
 * The region, endpoint, credentials, retries (maxAttempts) and HTTP handler are the gateways' own.
 */
import type * as AwsSdk from '../aws-sdk/sdk-clients.js';
import type { SdkSharedSettings } from './sdk-shared-settings.js';

interface Selectors<T> {
  environmentVariableSelector: (env: Record<string, string | undefined>, options?: Record<string, never>) => T | undefined;
  configFileSelector: (profile: Record<string, string | undefined>) => T | undefined;
  default: T | (() => Promise<T>) | undefined;
}

/** A provider like @smithy `memoize(chain(fromEnv, fromSharedConfigFiles, fromStatic))`: a failure is not kept. */
function loadSetting<T>(selectors: Selectors<T>, settings: SdkSharedSettings): () => Promise<T> {
  let value: Promise<T> | undefined;
  const load = async (): Promise<T> => {
    try {
      const fromEnv = selectors.environmentVariableSelector({ ...settings.env }, {});
      if (fromEnv !== undefined) return fromEnv;
    } catch {
      // an unset or invalid variable: the next source (chain's tryNextLink)
    }
    try {
      const fromConfig = selectors.configFileSelector({ ...settings.profile });
      if (fromConfig !== undefined) return fromConfig;
    } catch {
      // likewise for the config file
    }
    const fallback = selectors.default;
    return typeof fallback === 'function' ? await (fallback as () => Promise<T>)() : (fallback as T);
  };
  return () => {
    value ??= load().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

/** The client config fields that keep a client (STS, SSO, SSO OIDC) from reading the shared files. */
export function sdkClientSettings(sdk: typeof AwsSdk, settings: SdkSharedSettings, region: string) {
  // Any string: resolveDefaultsModeConfig judges it (an invalid one fails the call, as when the SDK read it).
  const defaultsModeSetting = loadSetting<'legacy'>(
    {
      environmentVariableSelector: (env) => env.AWS_DEFAULTS_MODE as 'legacy' | undefined,
      configFileSelector: (profile) => profile.defaults_mode as 'legacy' | undefined,
      default: 'legacy',
    },
    settings,
  );
  // runtimeConfig.js: the retry mode's default comes from the defaults mode (always "standard" today, but an
  // invalid defaults_mode fails the call there, and "auto" asks the instance metadata service: kept as is).
  const defaultsMode = sdk.resolveDefaultsModeConfig({ region, defaultsMode: defaultsModeSetting });
  const retryMode = loadSetting<string>(
    {
      ...(sdk.NODE_RETRY_MODE_CONFIG_OPTIONS as Selectors<string>),
      default: async () => sdk.loadConfigsForDefaultMode(await defaultsMode()).retryMode || sdk.DEFAULT_RETRY_MODE,
    },
    settings,
  );
  const { booleanSelector, SelectorType } = sdk;
  return {
    defaultsMode: defaultsModeSetting,
    retryMode,
    useFipsEndpoint: loadSetting(sdk.NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS as Selectors<boolean>, settings),
    useDualstackEndpoint: loadSetting(sdk.NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS as Selectors<boolean>, settings),
    userAgentAppId: loadSetting(sdk.NODE_APP_ID_CONFIG_OPTIONS as Selectors<string | undefined>, settings),
    authSchemePreference: loadSetting(sdk.NODE_AUTH_SCHEME_PREFERENCE_OPTIONS as Selectors<string[]>, settings),
    sigv4aSigningRegionSet: loadSetting(sdk.NODE_SIGV4A_CONFIG_OPTIONS as Selectors<string[] | undefined>, settings),
    // @aws-sdk/core clock-skew-node-config.js (not exported): the same selectors, spelled out.
    disableClockSkewCorrection: loadSetting<boolean>(
      {
        environmentVariableSelector: (env) => booleanSelector(env, 'AWS_DISABLE_CLOCK_SKEW_CORRECTION', SelectorType.ENV),
        configFileSelector: (profile) => booleanSelector(profile, 'disable_clock_skew_correction', SelectorType.CONFIG),
        default: false,
      },
      settings,
    ),
  };
}
