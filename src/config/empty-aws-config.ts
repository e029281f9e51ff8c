import type { AwsConfig } from './types.js';

/** No config files at all: what a command resolves against when the user's files cannot be read or are not needed. */
export const EMPTY_AWS_CONFIG: AwsConfig = {
  configFile: '',
  credentialsFile: '',
  profiles: new Map(),
  ssoSessions: new Map(),
  services: new Map(),
  warnings: [],
};
