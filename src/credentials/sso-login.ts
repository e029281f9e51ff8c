/**
 * `swrole login` of an IAM Identity Center sign-in (src/sso/sign-in.ts), for a profile whose source is SSO or for an
 * `[sso-session]` by name (`--sso-session`, as `aws sso login --sso-session`). Loaded by the login command only.
 */
import { existsSync } from 'node:fs';
import { SwroleError } from '../errors.js';
import type { AwsConfig } from '../config/types.js';
import type { SsoSource } from '../plan/types.js';
import type { Deps } from '../platform/deps.js';
import { whyNoBrowser } from '../sso/can-open-browser.js';
import { signIn, type SignInHow } from '../sso/sign-in.js';
import { sessionTarget } from '../sso/sso-target.js';
import type { SsoToken } from '../sso/sso-token-file.js';
import { createSsoRuntime } from './sso-credentials.js';

export interface SsoLoginRequest {
  deps: Deps;
  config: AwsConfig;
  /** The selected profile (its endpoints apply), or undefined with `--sso-session`. */
  selected: string | undefined;
  stateDir: string;
  /** The plan's SSO source, or the session named by `--sso-session`. */
  source: SsoSource | { session: string };
  deviceCode: boolean;
  force: boolean;
  openBrowser: (url: string) => Promise<unknown>;
  notice: (message: string) => void;
  debug: (message: string) => void;
}

export async function loginSso(r: SsoLoginRequest): Promise<{ token: SsoToken; how: SignInHow; describe: string }> {
  let source: Pick<SsoSource, 'profile' | 'ssoSession' | 'startUrl' | 'ssoRegion'>;
  let login = r.selected ?? '';
  if ('session' in r.source) {
    const target = sessionTarget(r.config, r.source.session);
    if ('error' in target) {
      throw new SwroleError('E_SSO_CONFIG', `[sso-session ${r.source.session}]: ${target.error.trim()}`, {
        hint: `add [sso-session ${r.source.session}] with sso_start_url and sso_region to ${r.config.configFile}`,
      });
    }
    source = {
      profile: `sso-session ${r.source.session}`,
      ssoSession: r.source.session,
      startUrl: target.startUrl,
      ssoRegion: target.region,
    };
    login = `--sso-session ${r.source.session}`;
  } else source = r.source;
  const rt = createSsoRuntime(
    {
      deps: r.deps,
      config: r.config,
      selected: r.selected ?? '',
      stateDir: r.stateDir,
      notice: r.notice,
      debug: r.debug,
      interactive: () => r.deps.interactive,
      login,
    },
    source,
  );
  const result = await signIn(rt, {
    deviceCode: r.deviceCode,
    force: r.force,
    noBrowser: whyNoBrowser(r.deps.env, r.deps.platform, existsSync),
    openBrowser: r.openBrowser,
    write: (text) => r.deps.stderr.write(text),
  });
  const describe = rt.target.sessionName !== null ? `sso-session "${rt.target.sessionName}" (${rt.target.startUrl})` : rt.target.startUrl;
  return { ...result, describe };
}
