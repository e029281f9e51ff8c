/** Exit codes by kind (DESIGN.md Errors). `swrole exec` mirrors its child instead. */
export const EXIT = {
  internal: 1,
  usage: 2,
  config: 3,
  auth: 4,
  cache: 5,
  integration: 6,
  /** Cancelled by the person (Ctrl-C at a prompt), as a shell reports SIGINT. */
  interrupted: 130,
} as const;

export type ErrorKind = keyof typeof EXIT | 'exec';

interface ErrorCodeSpec {
  kind: ErrorKind;
  /** Only for kind "exec": the shell's convention (126 not executable, 127 not found). */
  exit?: number;
}

/**
 * Every error code swrole raises, with its kind; the kind decides the exit code, so a throw site cannot pick a
 * wrong one. Documented in ARCHITECTURE.md and docs/troubleshooting.md (a unit test checks both against this
 * table, and that every code is asserted by some test).
 */
export const ERROR_CODES = {
  E_ACCESS_DENIED: { kind: 'auth' },
  E_AGENT_BEDROCK: { kind: 'integration' },
  E_AGENT_SANDBOX: { kind: 'integration' },
  E_AGENT_SCRUB: { kind: 'integration' },
  E_ATTRIBUTION_REFUSED: { kind: 'auth' },
  E_AWS_VAULT_ITEM_INVALID: { kind: 'config' },
  E_AWS_VAULT_ITEM_MISSING: { kind: 'config' },
  E_AWS_VAULT_PASSPHRASE: { kind: 'auth' },
  E_BAD_SECRET: { kind: 'auth' },
  E_BAD_SIGNATURE: { kind: 'auth' },
  E_BOTH_SOURCE_AND_CREDENTIAL_SOURCE: { kind: 'config' },
  E_CACHE_KEY: { kind: 'internal' },
  E_CACHE_LOCK_TIMEOUT: { kind: 'cache' },
  E_CA_BUNDLE: { kind: 'config' },
  E_CHAINED_DURATION: { kind: 'auth' },
  E_CLOCK_SKEW: { kind: 'auth' },
  E_CONFIG_EDIT: { kind: 'config' },
  E_CONFIG_PARSE: { kind: 'config' },
  E_CONFIG_READ: { kind: 'config' },
  E_CONSOLE_AGENT: { kind: 'usage' },
  E_CONSOLE_BROWSER: { kind: 'integration' },
  E_CONSOLE_CREDENTIALS: { kind: 'config' },
  E_CONSOLE_PARTITION: { kind: 'config' },
  E_CONSOLE_SIGNIN: { kind: 'auth' },
  E_DOCTOR_FAILED: { kind: 'config' },
  E_DURATION_TOO_LONG: { kind: 'auth' },
  E_EXEC_NESTED: { kind: 'usage' },
  E_EXEC_NOT_EXECUTABLE: { kind: 'exec', exit: 126 },
  E_EXEC_NOT_FOUND: { kind: 'exec', exit: 127 },
  E_FILE_LOCKED: { kind: 'cache' },
  E_FILE_READ: { kind: 'integration' },
  E_FILE_WRITE: { kind: 'integration' },
  E_GIT_FAILED: { kind: 'integration' },
  E_HUMAN_ONLY: { kind: 'usage' },
  E_INTERNAL: { kind: 'internal' },
  E_INTERRUPTED: { kind: 'interrupted' },
  E_INVALID_CREDENTIAL_SOURCE: { kind: 'config' },
  E_INVALID_KEYS: { kind: 'auth' },
  E_INVALID_REGION: { kind: 'config' },
  E_KEYRING_BACKEND: { kind: 'config' },
  E_KEYRING_FAILED: { kind: 'auth' },
  E_KEYRING_FILE: { kind: 'cache' },
  E_KEYRING_ITEM_INVALID: { kind: 'config' },
  E_KEYRING_ITEM_MISSING: { kind: 'config' },
  E_KEYRING_LOCKED: { kind: 'auth' },
  E_KEYRING_PASSPHRASE: { kind: 'auth' },
  E_KEYRING_PASSPHRASE_REQUIRED: { kind: 'auth' },
  E_KEYRING_TAMPERED: { kind: 'auth' },
  E_KEYRING_UNAVAILABLE: { kind: 'auth' },
  E_KEYS_CONSENT: { kind: 'usage' },
  E_KEYS_IAM: { kind: 'auth' },
  E_KEYS_INPUT: { kind: 'usage' },
  E_KEYS_LIMIT: { kind: 'auth' },
  E_KEYS_NOTHING_TO_IMPORT: { kind: 'config' },
  E_KEYS_PROFILE: { kind: 'config' },
  E_KEYS_PROPAGATION: { kind: 'auth' },
  E_KEYS_ROTATION_PENDING: { kind: 'config' },
  E_LOCK_UNUSABLE: { kind: 'cache' },
  E_LOGIN_SESSION_UNSUPPORTED: { kind: 'config' },
  E_MFA_CODE_FORMAT: { kind: 'auth' },
  E_MFA_CODE_INVALID: { kind: 'auth' },
  E_MFA_MISSING: { kind: 'auth' },
  E_MFA_PROCESS: { kind: 'auth' },
  E_MFA_REQUIRED: { kind: 'auth' },
  E_MFA_SERIAL_INVALID: { kind: 'auth' },
  E_NO_CREDENTIALS: { kind: 'config' },
  E_NO_REGION: { kind: 'config' },
  E_NO_SOURCE: { kind: 'config' },
  E_OUTPUT_NAME: { kind: 'internal' },
  E_OUTPUT_UNSAFE: { kind: 'usage' },
  E_PARTIAL_CREDENTIALS: { kind: 'config' },
  E_POLICY_FILE: { kind: 'config' },
  E_POLICY_INVALID: { kind: 'config' },
  E_POLICY_TOO_LARGE: { kind: 'auth' },
  E_PROCESS_FAILED: { kind: 'auth' },
  E_PROCESS_OUTPUT: { kind: 'auth' },
  E_PROFILE_LOOP: { kind: 'config' },
  E_PROFILE_NOT_FOUND: { kind: 'config' },
  E_PROXY_URL: { kind: 'config' },
  E_REGION_DISABLED: { kind: 'auth' },
  E_ROOT_ASSUME: { kind: 'auth' },
  E_SCOPE_UNSUPPORTED: { kind: 'config' },
  E_SERVER_LISTEN: { kind: 'usage' },
  E_SERVER_LONG_TERM_KEYS: { kind: 'config' },
  E_SESSION_CREDENTIALS: { kind: 'auth' },
  E_SETTINGS_INVALID: { kind: 'integration' },
  E_SETTINGS_LOCKED: { kind: 'cache' },
  E_SETTINGS_MEMBER: { kind: 'integration' },
  E_SETTINGS_STATUSLINE: { kind: 'integration' },
  E_SETTINGS_TRACKED: { kind: 'integration' },
  E_SETTINGS_VALUE: { kind: 'internal' },
  E_SETTING_VALUE: { kind: 'config' },
  E_SIGNING_REGION: { kind: 'auth' },
  E_SOURCE_HAS_NO_CREDENTIALS: { kind: 'config' },
  E_SOURCE_PROFILE_NOT_FOUND: { kind: 'config' },
  E_SOURCE_UNAVAILABLE: { kind: 'auth' },
  E_SSO_CONFIG: { kind: 'config' },
  E_SSO_FAILED: { kind: 'auth' },
  E_SSO_LOGIN_FAILED: { kind: 'auth' },
  E_SSO_LOGIN_REQUIRED: { kind: 'auth' },
  E_SSO_NO_ACCESS: { kind: 'auth' },
  E_SSO_SESSION_MISMATCH: { kind: 'config' },
  E_SSO_SESSION_NOT_FOUND: { kind: 'config' },
  E_SSO_THROTTLED: { kind: 'auth' },
  E_STATE_DIR_RELATIVE: { kind: 'config' },
  E_STATE_DIR_UNSAFE: { kind: 'cache' },
  E_STATE_DIR: { kind: 'cache' },
  E_STS_FAILED: { kind: 'auth' },
  E_STS_MALFORMED_POLICY: { kind: 'auth' },
  E_STS_PROXY: { kind: 'auth' },
  E_STS_THROTTLED: { kind: 'auth' },
  E_STS_TIMEOUT: { kind: 'auth' },
  E_STS_TLS: { kind: 'auth' },
  E_STS_UNAVAILABLE: { kind: 'auth' },
  E_STS_UNREACHABLE: { kind: 'auth' },
  E_STS_VALIDATION: { kind: 'auth' },
  E_TOKEN_EXPIRED: { kind: 'auth' },
  E_USAGE: { kind: 'usage' },
  E_USE_NEEDS_SHELL_INIT: { kind: 'usage' },
  E_WEB_IDENTITY_NO_ROLE: { kind: 'config' },
  E_WEB_IDENTITY_REJECTED: { kind: 'auth' },
  E_WEB_IDENTITY_TOKEN: { kind: 'auth' },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes of one kind, e.g. `CodeOfKind<'config'>` for helpers that raise only configuration errors. */
export type CodeOfKind<K extends ErrorKind> = { [C in ErrorCode]: (typeof ERROR_CODES)[C]['kind'] extends K ? C : never }[ErrorCode];

/** The exit code of an error code. */
export function exitCodeOf(code: ErrorCode): number {
  const spec: ErrorCodeSpec = ERROR_CODES[code];
  return spec.exit ?? EXIT[spec.kind as keyof typeof EXIT];
}

export interface SwroleErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
}

/** A brand that survives separate bundles (dist/ loads commands lazily, each with its own copy of this class). */
const BRAND = Symbol.for('swrole.error');

/** The one error type: a stable `code`, a message naming the profile or file, a hint, an exit code (from the code). */
export class SwroleError extends Error {
  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exit: number;

  constructor(code: ErrorCode, message: string, options: SwroleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SwroleError';
    this.code = code;
    this.hint = options.hint;
    this.exit = exitCodeOf(code);
  }
}

export function isSwroleError(value: unknown): value is SwroleError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/** A usage error of `command` (exit 2): wrong flags or arguments; the hint points at its help. */
export function usageError(command: string, message: string): SwroleError {
  return new SwroleError('E_USAGE', `${command}: ${message}`, { hint: `run \`swrole ${command} --help\`` });
}
