/**
 * botocore's reading of one AWS INI file: `configparser.RawConfigParser()` (strict, `=`/`:`, full-line
 * comments only, lower-cased keys, continuation lines, `[DEFAULT]` inheritance) followed by
 * configloader.py `raw_config_parse` (a value starting with a newline becomes a nested sub-section).
 * Reference: docs/reference/aws-behaviour.md §1.3. Errors are the ones botocore raises, with file:line.
 */
import type { ConfigSection, ConfigValue, ConfigWarning } from './types.js';
import type { IniDocument, IniLine } from './ini-document.js';
import { createConfigWarning } from './config-warning.js';
import { configParseError } from './parse-error.js';
import { pySplitLines, pyStrip, trimPySpaceEnd } from './py-text.js';
import type { SwroleError } from '../errors.js';
import { setOwn } from './set-own.js';
import { redactSecrets } from '../platform/redact-secrets.js';

/**
 * A broken line as an error may quote it: never a secret (a secret key typed with a full-width `＝` is such a line,
 * issue 13): the key alone when it names a secret or token, else the line with anything key-like cut.
 */
function shownLine(text: string): string {
  const trimmed = text.trim();
  const key = /^[^\s=:\uff1d\uff1a]*/.exec(trimmed)?.[0] ?? '';
  return /secret|token/i.test(key) ? `${key}…` : redactSecrets(trimmed);
}

export interface ReadSectionsResult {
  /** Sections in file order, named as configparser names them (the raw header text). */
  sections: ConfigSection[];
  warnings: ConfigWarning[];
}

export interface RawKey {
  /** The value on the key's own line. */
  value: string;
  /** Later lines of a multi-line value (created only when there are some: most keys have none). */
  more: string[] | undefined;
  moreLines: number[] | undefined;
  line: number;
}

export interface RawSection {
  name: string;
  line: number;
  keys: Map<string, RawKey>;
}

const DEFAULT_SECTION = 'DEFAULT';

export function readSections(doc: IniDocument): ReadSectionsResult {
  const raw = collectRawSections(doc);
  const { warnings } = raw;
  const defaults = joinSection(doc.file, raw.defaults, raw.sections.size > 0, warnings);
  const result: ConfigSection[] = [];
  for (const section of raw.sections.values()) {
    result.push(inheritDefaults(doc.file, section, joinSection(doc.file, section, true, warnings), defaults));
  }
  return { sections: result, warnings };
}

/** The sections of a document as configparser reads them, before values are joined; botocore's errors. */
export interface RawSections {
  sections: Map<string, RawSection>;
  /** Every [DEFAULT] section's keys (configparser merges them). */
  defaults: RawSection;
  /** Warnings about single lines, and [DEFAULT] headers, in line order. */
  warnings: ConfigWarning[];
}

/** configparser's read loop: raises duplicates and a missing header at once, other bad lines at the end. */
export function collectRawSections(doc: IniDocument): RawSections {
  const { file } = doc;
  const warnings: ConfigWarning[] = [];
  const sections = new Map<string, RawSection>();
  const defaults: RawSection = { name: DEFAULT_SECTION, line: 0, keys: new Map() };
  let current: RawSection | undefined;
  let currentKey: RawKey | undefined;
  // Blank lines after a key: part of its value only if a continuation line follows (then kept, as
  // configparser's empty_lines_in_values=True does); trailing ones would be stripped at join anyway, and
  // a blank line between sections is the common case, so they are only noted until one is needed.
  const blanks: number[] = [];
  // configparser raises duplicates and a missing header at once, but collects other bad lines and
  // raises the first of them only at the end of the file.
  let deferred: SwroleError | undefined;

  for (const l of doc.lines) {
    switch (l.kind) {
      case 'blank':
        if (currentKey) blanks.push(l.line);
        break;
      case 'comment':
        break;
      case 'continuation':
        if (currentKey) {
          for (const line of blanks) addLine(currentKey, '', line);
          blanks.length = 0;
          addLine(currentKey, l.value, l.line);
        }
        break;
      case 'header': {
        currentKey = undefined;
        blanks.length = 0;
        if (sections.has(l.name)) {
          const first = sections.get(l.name)?.line ?? 0;
          throw configParseError(
            file,
            l.line,
            `section [${l.name}] already appears on line ${first}`,
            'merge the two sections into one; the AWS CLI refuses files with a duplicate section',
          );
        }
        if (l.name === DEFAULT_SECTION) {
          current = defaults;
          if (defaults.line === 0) defaults.line = l.line;
          warnings.push(
            createConfigWarning(
              'W_DEFAULT_SECTION',
              file,
              l.line,
              '[DEFAULT] keys are inherited by every section of this file in the AWS CLI but not in the AWS SDK for JS; copy them into the profiles that need them',
            ),
          );
        } else {
          current = { name: l.name, line: l.line, keys: new Map() };
          sections.set(l.name, current);
        }
        break;
      }
      case 'entry':
      case 'other': {
        if (!current) throw missingHeader(file, l);
        if (l.kind !== 'entry') {
          deferred ??= configParseError(
            file,
            l.line,
            `line has no "=" separator: ${JSON.stringify(shownLine(l.text))}`,
            'write "key = value", or start the line with # to make it a comment',
          );
          break;
        }
        if (l.key === '') {
          deferred ??= configParseError(file, l.line, 'line has an empty key', 'write "key = value"');
          currentKey = undefined;
          blanks.length = 0;
          break;
        }
        const key = l.key.toLowerCase();
        if (current.keys.has(key)) {
          const where = current === defaults ? '[DEFAULT]' : `[${current.name}]`;
          throw configParseError(
            file,
            l.line,
            `key "${key}" appears twice in section ${where}`,
            'keep only one of them; the AWS CLI refuses files with a duplicate key',
          );
        }
        currentKey = { value: l.value, more: undefined, moreLines: undefined, line: l.line };
        blanks.length = 0;
        current.keys.set(key, currentKey);
        lineWarnings(file, l.line, l.key, key, l.separator, l.value, warnings);
        break;
      }
    }
  }
  if (deferred) throw deferred;
  return { sections, defaults, warnings };
}

/** configparser `options()`: the section's own keys, then the inherited [DEFAULT] keys. */
export function inheritDefaults(
  file: string,
  section: Pick<RawSection, 'name' | 'line'>,
  own: JoinedValues,
  defaults: JoinedValues,
): ConfigSection {
  const { values, keyLines } = own;
  for (const key of Object.keys(defaults.values)) {
    if (Object.hasOwn(values, key)) continue;
    setOwn(values, key, defaults.values[key] as ConfigValue);
    setOwn(keyLines, key, defaults.keyLines[key] as number);
  }
  return { name: section.name, file, line: section.line, values, keyLines };
}

function addLine(key: RawKey, text: string, line: number): void {
  (key.more ??= []).push(text);
  (key.moreLines ??= []).push(line);
}

function missingHeader(file: string, l: IniLine): SwroleError {
  if (l.line === 1 && l.text.charCodeAt(0) === 0xfeff) {
    return configParseError(
      file,
      1,
      'file starts with a UTF-8 byte order mark (BOM)',
      'save the file as UTF-8 without BOM; the AWS CLI cannot read it',
    );
  }
  return configParseError(
    file,
    l.line,
    'line before the first [section] header',
    'put it inside a section such as [default], or start it with # to make it a comment',
  );
}

function lineWarnings(
  file: string,
  line: number,
  rawKey: string,
  key: string,
  separator: string,
  value: string,
  out: ConfigWarning[],
): void {
  if (separator === ':') {
    out.push(
      createConfigWarning(
        'W_COLON_SEPARATOR',
        file,
        line,
        `"${rawKey}:" uses ":" which the AWS SDK for JS does not read; write "${key} = ..."`,
      ),
    );
  }
  if (rawKey !== key) {
    out.push(
      createConfigWarning(
        'W_KEY_CASE',
        file,
        line,
        `key "${rawKey}" is read as "${key}" by the AWS CLI but not by the AWS SDK for JS (keys are case-sensitive there); write it in lower case`,
      ),
    );
  }
  if (hasInlineComment(value)) {
    out.push(
      createConfigWarning(
        'W_INLINE_COMMENT',
        file,
        line,
        `the value of "${key}" contains " #" or " ;": the AWS CLI keeps it as part of the value, the AWS SDK for JS cuts it off as a comment; put comments on their own line`,
      ),
    );
  }
}

/** The SDK for JS starts a comment at `#`/`;` at the start of a value or after whitespace. */
function hasInlineComment(value: string): boolean {
  if (value.indexOf('#') === -1 && value.indexOf(';') === -1) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c !== 0x23 && c !== 0x3b) continue;
    if (i === 0 || value.charCodeAt(i - 1) === 0x20 || value.charCodeAt(i - 1) === 0x09) return true;
  }
  return false;
}

/** A section's values as botocore sees them, and the line of each key. */
export interface JoinedValues {
  values: Record<string, ConfigValue>;
  keyLines: Record<string, number>;
}

/** configparser joins multi-line values; raw_config_parse turns one starting with a newline into a sub-section. */
export function joinSection(file: string, section: RawSection, parseNested: boolean, warnings: ConfigWarning[]): JoinedValues {
  const values: Record<string, ConfigValue> = {};
  const keyLines: Record<string, number> = {};
  for (const [key, raw] of section.keys) {
    setOwn(keyLines, key, raw.line);
    if (raw.more === undefined) {
      const only = raw.value;
      setOwn(values, key, only);
      if (only === '') {
        warnings.push(
          createConfigWarning(
            'W_EMPTY_VALUE',
            file,
            raw.line,
            `"${key}" has an empty value: the AWS SDK for JS does not store it and reads indented lines after it as a sub-section; give it a value or remove it`,
          ),
        );
      }
      continue;
    }
    const joined = `${raw.value}\n${raw.more.join('\n')}`;
    const value = joined.slice(0, trimPySpaceEnd(joined, 0, joined.length));
    if (parseNested && value.startsWith('\n')) {
      setOwn(values, key, parseNestedValue(file, key, value, raw));
    } else {
      setOwn(values, key, value);
      // A continuation line is never blank, so a value that reaches here always spans lines.
      warnings.push(
        createConfigWarning(
          'W_MULTILINE_VALUE',
          file,
          raw.line,
          `"${key}" continues on indented lines: the AWS CLI joins them with newlines, the AWS SDK for JS ignores them; write the value on one line`,
        ),
      );
    }
  }
  return { values, keyLines };
}

/** configloader.py `_parse_nested`: one level, inner keys keep their case, `=` only, last key wins. */
function parseNestedValue(file: string, key: string, value: string, raw: RawKey): Readonly<Record<string, string>> {
  const nested: Record<string, string> = {};
  for (const text of pySplitLines(value)) {
    const line = pyStrip(text);
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) {
      const at = raw.more?.findIndex((p) => p.includes(line)) ?? -1;
      throw configParseError(
        file,
        raw.moreLines?.[at] ?? raw.line,
        `line in the "${key}" sub-section has no "=": ${JSON.stringify(line)}`,
        `indented lines after "${key} =" must be "name = value"`,
      );
    }
    setOwn(nested, pyStrip(line.slice(0, eq)), pyStrip(line.slice(eq + 1)));
  }
  return nested;
}
