/**
 * One AWS INI file read on demand: the whole file is checked the way botocore reads it (any error anywhere
 * refuses the file, as `Session.full_config` does), but a section's values are built only when asked for, from
 * its own lines, with the same reader (read-sections.ts) the whole file would go through. What a 50,000-profile
 * config costs is then one pass over its text plus the sections a profile's chain needs (issue 16).
 */
import type { ConfigSection, ConfigWarning } from './types.js';
import { parseIniDocument, type IniLine } from './ini-document.js';
import { indexIniSections, type SectionSpan } from './index-ini-sections.js';
import { collectRawSections, inheritDefaults, joinSection, readSections, type JoinedValues } from './read-sections.js';
import { configSectionRole, type SectionRole } from './build-profile-map.js';
import { isPySpace } from './py-text.js';
import { setOwn } from './set-own.js';

export interface IndexedConfigFile {
  readonly file: string;
  /** Sections other than [DEFAULT], in file order, each raw name once. */
  readonly sections: readonly SectionSpan[];
  /** The section whose raw name is `name` (the credentials file's names), or undefined. */
  findRaw(name: string): SectionSpan | undefined;
  /** The last section botocore names profile `name` in the config file, or undefined. */
  findProfile(name: string): SectionSpan | undefined;
  /** The last `[sso-session name]` / `[services name]` section, or undefined. */
  findNamed(kind: 'sso-session' | 'services', name: string): SectionSpan | undefined;
  /** The section as readSections would give it ([DEFAULT] keys inherited); built anew on each call. */
  section(span: SectionSpan): ConfigSection;
  /** What readSections warns about for the whole file, in the same order; reads every section once, one at a time. */
  warnings(): ConfigWarning[];
}

/** Indexes `text`; throws botocore's error for a file it refuses (ConfigParseError), with file:line. */
export function openIndexedConfigFile(text: string, file: string): IndexedConfigFile {
  const index = indexIniSections(text, file);
  // Not clean: the full reader raises the error; where the index was only cautious, it reads the file, and the
  // index (which never stops early) is right.
  if (!index.clean) readSections(parseIniDocument(text, file));
  // Whether the file has a \r at all (readPlainSection's line search), decided on the first section read.
  let hasCr: boolean | undefined;
  const linesOf = (span: SectionSpan): readonly IniLine[] => parseIniDocument(text.slice(span.start, span.end), file, span.line).lines;
  const rawSection = (span: SectionSpan) => {
    const raw = collectRawSections({ file, lines: linesOf(span) }).sections.get(span.name);
    if (raw === undefined) throw new Error(`${file}:${span.line}: section [${span.name}] not found where indexed`);
    return raw;
  };

  let defaults: { joined: JoinedValues; warnings: ConfigWarning[] } | undefined;
  const readDefaults = () => {
    if (defaults === undefined) {
      const raw = collectRawSections({ file, lines: index.defaults.flatMap(linesOf) });
      const warnings: ConfigWarning[] = [];
      defaults = { joined: joinSection(file, raw.defaults, index.sections.length > 0, warnings), warnings };
    }
    return defaults;
  };
  const section = (span: SectionSpan): ConfigSection => {
    const plain = index.clean && !span.noted && !span.continued ? readPlainSection(text, span, (hasCr ??= text.includes('\r'))) : undefined;
    if (plain !== undefined) return inheritDefaults(file, span, plain, readDefaults().joined);
    const raw = rawSection(span);
    return inheritDefaults(file, raw, joinSection(file, raw, true, []), readDefaults().joined);
  };

  // A nested value botocore cannot read refuses the whole file: check every section that has continuation lines
  // (the [DEFAULT] ones first, as readSections joins them first); the full reader then reports the first error.
  try {
    if (index.defaults.some((span) => span.continued)) readDefaults();
    for (const span of index.sections) if (span.continued) section(span);
  } catch {
    readSections(parseIniDocument(text, file));
  }

  const { sections } = index;
  // What botocore makes of the headers not written plainly as `[profile NAME]` (few: [default], sso-sessions,
  // services, quoted names), decided once.
  let roles: SectionRole[] | undefined;
  const lastOther = (matches: (role: SectionRole) => boolean): number => {
    roles ??= index.otherHeaders.map((i) => configSectionRole((sections[i] as SectionSpan).name));
    for (let k = roles.length - 1; k >= 0; k--) if (matches(roles[k] as SectionRole)) return index.otherHeaders[k] as number;
    return -1;
  };

  return {
    file,
    sections,
    findRaw(name) {
      const i = index.findRaw(name);
      if (i >= 0 && sections[i]?.name === name) return sections[i];
      // A miss is certain in a clean file (a name hashing like another would have made it unclean).
      return index.clean ? undefined : sections.find((span) => span.name === name);
    },
    findProfile(name) {
      let i = index.findPlainProfile(name);
      if (i >= 0 && sections[i]?.name !== `profile ${name}`) i = -1;
      // botocore's dict: the LAST section of a name wins ([default] and [profile default] are one name).
      const other = lastOther((role) => (role.kind === 'profile' && role.name === name) || (role.kind === 'default' && name === 'default'));
      return sections[Math.max(i, other)];
    },
    findNamed(kind, name) {
      return sections[lastOther((role) => role.kind === kind && role.name === name)];
    },
    section,
    warnings() {
      // readSections' order: every line's warnings in file order, then the joins: [DEFAULT] first, then each section.
      const lineWarnings: ConfigWarning[] = [];
      const joinWarnings: ConfigWarning[] = [];
      // Only sections with a line to warn about (the index notes them) and the [DEFAULT] ones can warn.
      const spans = [...sections.filter((span) => span.noted || span.continued), ...index.defaults].sort((a, b) => a.line - b.line);
      for (const span of spans) {
        const raw = collectRawSections({ file, lines: linesOf(span) });
        lineWarnings.push(...raw.warnings);
        const own = raw.sections.get(span.name);
        if (own !== undefined) joinSection(file, own, true, joinWarnings);
      }
      return [...lineWarnings, ...readDefaults().warnings, ...joinWarnings];
    },
  };
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * The values of a section the index vouches for, read straight from the text: in a clean file (no error, no
 * duplicate key), a section with no continuation line and no line to warn about (`noted`: a `:` separator, a key not
 * in lower case, an empty value, `#` or `;` in a value) holds only blank lines, comments and `key = value` lines,
 * which is what list/explain walk 50,000 times (issue 16). Each line is cut as ini-document.ts `classify` cuts it;
 * the unit test compares this with the full reader on every section of the corpus. Undefined for anything else
 * (the full reader then reads the section).
 */
export function readPlainSection(text: string, span: SectionSpan, hasCr: boolean): JoinedValues | undefined {
  const values: Record<string, string> = {};
  const keyLines: Record<string, number> = {};
  const { end } = span;
  // Where the line from `from` ends. Without a \r in the file, the native search for \n, which stops at the next
  // line; with one, a scan bounded by the section (indexOf of a character the rest of the file lacks would search
  // to its end, for each section).
  const lineEndFrom = (from: number): number => {
    if (!hasCr) {
      const lf = text.indexOf('\n', from);
      return lf === -1 || lf > end ? end : lf;
    }
    let i = from;
    while (i < end && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
    return i;
  };
  let start = lineEndFrom(span.start); // past the header line
  let lineNo = span.line;
  while (start < end) {
    // start is at a line break: step over it (\r\n is one).
    start += text.charCodeAt(start) === CR && text.charCodeAt(start + 1) === LF ? 2 : 1;
    lineNo++;
    const lineStart = start;
    const lineEnd = lineEndFrom(start);
    start = lineEnd;
    let first = lineStart;
    while (first < lineEnd && isPySpace(text.charCodeAt(first))) first++;
    if (first === lineEnd) continue; // blank
    const c = text.charCodeAt(first);
    if (c === 0x23 || c === 0x3b) continue; // comment
    let last = lineEnd;
    while (last > first && isPySpace(text.charCodeAt(last - 1))) last--;
    // The first `=` or `:` of the line must be an `=` (the index vouched for it; checked, the key being short).
    const sep = text.indexOf('=', first);
    if (sep === -1 || sep >= last) return undefined;
    let keyEnd = sep;
    for (let i = first; i < sep; i++) if (text.charCodeAt(i) === 0x3a) return undefined;
    while (keyEnd > first && isPySpace(text.charCodeAt(keyEnd - 1))) keyEnd--;
    let valueStart = sep + 1;
    while (valueStart < last && isPySpace(text.charCodeAt(valueStart))) valueStart++;
    const key = text.slice(first, keyEnd);
    if (key === '' || valueStart === last || Object.hasOwn(values, key)) return undefined;
    setOwn(values, key, text.slice(valueStart, last));
    setOwn(keyLines, key, lineNo);
  }
  return { values, keyLines };
}
