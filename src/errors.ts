/** Exit codes by kind (DESIGN.md Errors). */
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

export interface SwroleErrorOptions {
  hint?: string;
  exit?: number;
  cause?: unknown;
}

/** The one error type: a stable `code`, a message naming the profile or file, a hint, an exit code. */
/** A brand that survives separate bundles (dist/ loads commands lazily, each with its own copy of this class). */
const BRAND = Symbol.for('swrole.error');

export class SwroleError extends Error {
  readonly [BRAND] = true;
  readonly code: string;
  readonly hint: string | undefined;
  readonly exit: number;

  constructor(code: string, message: string, options: SwroleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SwroleError';
    this.code = code;
    this.hint = options.hint;
    this.exit = options.exit ?? EXIT.internal;
  }
}

export function isSwroleError(value: unknown): value is SwroleError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}
