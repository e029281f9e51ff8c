/**
 * The AWS SDK, all of it that swrole runs: the STS, IAM Identity Center portal and OIDC clients with the commands
 * the two gateways send, and the HTTP handler. Imported ONLY with `await import()` (sts/load-gateway.ts,
 * sso/load-sso-gateway.ts), so scripts/build.mjs makes it one chunk, loaded on a miss and never on a cache hit
 * (DESIGN.md Performance budgets); the SDK's core is in the installed package once, not once per gateway.
 * Everything else reaches these values through the gateways' `sdk` option and imports only their types.
 */
import { state as sdkWarningState } from '@aws-sdk/core/client';

export {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
export { GetRoleCredentialsCommand, ListAccountRolesCommand, ListAccountsCommand, LogoutCommand, SSOClient } from '@aws-sdk/client-sso';
export { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
export { NodeHttpHandler } from '@smithy/node-http-handler';
// `keys rotate` signs IAM's Query calls itself (no IAM client model in the package).
export { SignatureV4 } from '@smithy/signature-v4';
// The selectors of the settings the clients would otherwise load from ~/.aws themselves (sts/sdk-client-settings.ts).
export {
  booleanSelector,
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
  resolveDefaultsModeConfig,
  SelectorType,
} from '@smithy/core/config';
export { loadConfigsForDefaultMode } from '@smithy/core/client';
export { DEFAULT_RETRY_MODE, NODE_RETRY_MODE_CONFIG_OPTIONS } from '@smithy/core/retry';
export { NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, NODE_SIGV4A_CONFIG_OPTIONS } from '@aws-sdk/core/httpAuthSchemes';
export { NODE_APP_ID_CONFIG_OPTIONS, setCredentialFeature } from '@aws-sdk/core/client';

// The SDK prints a NodeVersionSupportWarning on Node 20 (docs/reference/aws-behaviour.md §10 runtime note) through
// process.emitWarning; it would land in every user's stderr. Mark it as already emitted — this silences
// exactly that warning and nothing else (@aws-sdk/core emitWarningIfUnsupportedVersion.js).
sdkWarningState.warningEmitted = true;
