import { effectiveVariable, type EffectiveSetting, type SettingsLayer } from './claude-settings-layers.js';

/** Claude Code's own truthiness for its switches: set, non-empty, not "0"/"false". */
const isOn = (value: string | undefined): boolean =>
  value !== undefined && value.trim() !== '' && value.trim() !== '0' && value.trim().toLowerCase() !== 'false';

/** What in the user's Claude Code setup changes how swrole may hand it credentials. */
export interface ClaudeEnvironment {
  /**
   * CLAUDE_CODE_USE_BEDROCK: Claude Code's own model client reads the same `env` as the Bash tool, so a view or
   * keys in settings `env` would sign model calls as the agent role (docs/reference/claude-code-observed.md §4).
   */
  bedrock: EffectiveSetting | undefined;
  /**
   * CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: strips AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and every key
   * variable from the Bash tool but keeps AWS_PROFILE (observed); only the env-file mode survives it.
   */
  scrub: EffectiveSetting | undefined;
  /** An `awsCredentialExport` already gives Bedrock its own credentials (the highest layer that has one). */
  credentialExport: { command: string; file: string } | undefined;
}

/** PURE: reads the settings layers (highest first) and the shell's environment. */
export function detectClaudeEnvironment(
  layers: readonly SettingsLayer[],
  shellEnv: Readonly<Record<string, string | undefined>>,
): ClaudeEnvironment {
  const on = (name: string) => {
    const setting = effectiveVariable(layers, shellEnv, name);
    return setting !== undefined && isOn(setting.value) ? setting : undefined;
  };
  const exporter = layers.find((layer) => layer.awsCredentialExport !== undefined);
  return {
    bedrock: on('CLAUDE_CODE_USE_BEDROCK'),
    scrub: on('CLAUDE_CODE_SUBPROCESS_ENV_SCRUB'),
    credentialExport: exporter ? { command: exporter.awsCredentialExport!, file: exporter.file } : undefined,
  };
}
