import type { AwsConfig } from '../config/types.js';
import type { Plan } from '../plan/types.js';
import type { Deps } from '../platform/deps.js';
import type { StsEndpoint, StsGateway } from '../sts/gateway.js';
import type { SessionStore } from '../cache/session-store.js';
import type { StsTransport } from '../sts/resolve-sts-transport.js';
import type { AgentScope } from './agent-scope.js';

/** What the user asked for on the command line, shared by login/exec/env/process/whoami. */
export interface CredentialRequest {
  /** `--duration` for the selected role (or the MFA session for `login`). */
  durationSeconds?: number | undefined;
  /** `swrole login --duration`: the MFA session length (else swrole_mfa_session_duration, else 12 h). */
  mfaSessionSeconds?: number | undefined;
  /** `--mfa-code`. */
  mfaCode?: string | undefined;
  /** `--no-cache`: neither read nor write the session cache. */
  noCache?: boolean | undefined;
  /** false for `swrole process` (runs inside SDKs): never prompt, even on a terminal. */
  allowPrompt: boolean;
  /** `--no-session`: a profile of long-term keys hands them out as they are, not a session of them. */
  noSession?: boolean | undefined;
}

export type EngineStore = Pick<SessionStore, 'read' | 'obtain' | 'remove' | 'setLockActivity'>;

/** Everything the engine needs to run a plan; built by commands, passed down (no globals). */
export interface EngineContext {
  deps: Deps;
  config: AwsConfig;
  plan: Plan;
  endpoint: StsEndpoint;
  /** Proxy and CA bundle for STS (for the gateway, and for messages: translate-sts-error.ts). */
  transport: StsTransport;
  /** The request's scope: for a role it is in the plan already; a plan without a role applies it to its source's session. */
  scope: AgentScope | undefined;
  /** The OS user (SourceIdentity, session and federated-user names). */
  userName: string;
  /** swrole's state dir (the record of refused attribution lives there). */
  stateDir: string;
  /** What the engine does with the cache (a pass-through under --no-cache). */
  store: EngineStore;
  request: CredentialRequest;
  /** Loads the STS gateway (lazily: the SDK is imported on the first miss only). */
  gateway: () => Promise<StsGateway>;
  /** One-line notices on stderr (`swrole: ...`), each distinct one printed once. */
  notice: (message: string) => void;
  /** --debug lines (already masked by the caller of debug, see mask-secret.ts). */
  debug: (message: string) => void;
}
