/**
 * How a setting's text (an environment variable or a config value) reads as "set", "on" or "off". Two rules
 * exist because botocore has them: an empty variable counts as unset (`''` is falsy in Python), while endpoint
 * and flag values are compared trimmed.
 */

/** '' counts as unset, whitespace does not (botocore: `os.environ.get(...) or None`). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The trimmed value, or undefined when blank. */
export function nonBlank(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

/** botocore's ensure_boolean for text: only "true" (any case, trimmed) is true. */
export function isTrueSetting(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}

/** swrole's own switches (`swrole_*` keys): false, 0, no, off (any case) turn a feature off. */
export function isOffSetting(value: string | undefined): boolean {
  return value !== undefined && /^(false|0|no|off)$/i.test(value.trim());
}

/** swrole's three-way switches (`swrole_agent_tags`, `swrole_source_identity`). */
export type ModeSetting = 'off' | 'auto' | 'required';

/**
 * `off | auto | required` (any case, trimmed); the boolean spellings read as off (false, 0, no, off) and auto
 * (true, 1, yes, on), so a `swrole_agent_tags = false` written before the modes existed keeps its meaning.
 * undefined when unset or blank; null when the text is none of these.
 */
export function parseModeSetting(value: string | undefined): ModeSetting | undefined | null {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim().toLowerCase();
  if (text === 'required') return 'required';
  if (/^(false|0|no|off)$/.test(text)) return 'off';
  if (/^(auto|true|1|yes|on)$/.test(text)) return 'auto';
  return null;
}
