/**
 * The AWS config side of `swrole keys` (issue 12), as text edits (PURE; the caller writes through the safe editor):
 *
 *   [profile dev]
 *   swrole_keyring = secret-service
 *   credential_process = /usr/bin/node /usr/lib/node_modules/swrole/dist/swrole.js process dev
 *
 * `swrole_keyring` tells swrole where the keys are (the AWS tools ignore unknown keys); the credential_process is what
 * every other AWS tool runs, and what it gets from `swrole process` is a session of the key, never the key.
 */
import { parseIniDocument, serializeIniDocument, type IniDocument, type IniLine } from '../config/ini-document.js';
import { removeSection, removeValue, sectionKeys, setValue } from '../config/ini-edit.js';
import { shlexSplit } from '../config/shlex-split.js';
import { renderProfileHeader } from './credential-process-command.js';

export const KEYRING_MARKER = 'swrole_keyring';
/** What a plaintext key is made of, in either file. */
export const PLAINTEXT_KEY_NAMES = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_security_token'] as const;

/** `… swrole[.js] process PROFILE` (or `process --profile PROFILE`): a credential_process that runs swrole for PROFILE. */
export function isSwroleProcessCommand(command: string, profile: string): boolean {
  const words = shlexSplit(command);
  if (words === undefined || words.length < 2) return false;
  const tail = words.slice(-3);
  const forProfile =
    (words.at(-2) === 'process' && words.at(-1) === profile) || (tail[0] === 'process' && tail[1] === '--profile' && tail[2] === profile);
  return forProfile && words.some((w) => /(^|[\\/])swrole(\.js|\.cjs|\.mjs|\.cmd|\.exe)?$/.test(w));
}

/** The raw header of a profile's section: `default`, `profile dev`, `profile "my dev"` (config) or `dev` (credentials). */
export function findProfileHeader(doc: IniDocument, profile: string, kind: 'config' | 'credentials'): string | undefined {
  for (const l of doc.lines as readonly IniLine[]) {
    if (l.kind !== 'header') continue;
    const name = l.name.trim();
    if (kind === 'credentials' ? name === profile : name === 'default' ? profile === 'default' : isProfileHeader(name, profile))
      return l.name;
  }
  return undefined;
}

function isProfileHeader(name: string, profile: string): boolean {
  if (!name.startsWith('profile')) return false;
  const words = shlexSplit(name);
  return words !== undefined && words.length === 2 && words[0] === 'profile' && words[1] === profile;
}

function dropIfEmpty(doc: IniDocument, header: string): IniDocument {
  return sectionKeys(doc, header)?.length === 0 ? removeSection(doc, header) : doc;
}

/**
 * Points [profile P] of the config file at the keyring: `swrole_keyring = backend` and swrole's credential_process
 * (existing values replaced in place, everything else kept), and removes plaintext key lines there (import of
 * config-file keys). Text in, text out; `undefined` text is a file that does not exist yet.
 */
export function writeKeyringMarker(text: string | undefined, file: string, profile: string, backend: string, command: string): string {
  let doc = parseIniDocument(text ?? '', file);
  const header = findProfileHeader(doc, profile, 'config') ?? renderProfileHeader(profile);
  for (const key of PLAINTEXT_KEY_NAMES) doc = removeValue(doc, header, key);
  doc = setValue(doc, header, KEYRING_MARKER, backend);
  doc = setValue(doc, header, 'credential_process', command);
  return serializeIniDocument(doc);
}

/**
 * Undoes writeKeyringMarker: removes `swrole_keyring`, the credential_process only if it runs swrole for this
 * profile (a command of the user's own stays), and the section when nothing else is left in it.
 */
export function removeKeyringMarker(text: string, file: string, profile: string): { text: string; removed: string[] } {
  let doc = parseIniDocument(text, file);
  const header = findProfileHeader(doc, profile, 'config');
  if (header === undefined) return { text, removed: [] };
  const removed: string[] = [];
  const range = sectionKeys(doc, header) ?? [];
  if (range.some((k) => k.toLowerCase() === KEYRING_MARKER)) {
    doc = removeValue(doc, header, KEYRING_MARKER);
    removed.push(KEYRING_MARKER);
  }
  const command = sectionValue(doc, header, 'credential_process');
  if (command !== undefined && isSwroleProcessCommand(command, profile)) {
    doc = removeValue(doc, header, 'credential_process');
    removed.push('credential_process');
  }
  if (removed.length > 0) doc = dropIfEmpty(doc, header);
  return { text: serializeIniDocument(doc), removed };
}

/** The (first) value of `key` in section `header`, continuation lines not included (a command is one line). */
function sectionValue(doc: IniDocument, header: string, key: string): string | undefined {
  let inside = false;
  for (const l of doc.lines as readonly IniLine[]) {
    if (l.kind === 'header') inside = l.name === header;
    else if (inside && l.kind === 'entry' && l.key.toLowerCase() === key) return l.value;
  }
  return undefined;
}

/** Removes the plaintext keys of section `section` (credentials file: the bare profile name), and the section if it is then empty. */
export function removePlaintextKeys(text: string, file: string, profile: string, kind: 'config' | 'credentials'): string {
  let doc = parseIniDocument(text, file);
  const header = findProfileHeader(doc, profile, kind);
  if (header === undefined) return text;
  for (const key of PLAINTEXT_KEY_NAMES) doc = removeValue(doc, header, key);
  return serializeIniDocument(dropIfEmpty(doc, header));
}

/**
 * What the backup of a file keeps once its key moved to the keyring: every byte as it was, except the secret of
 * the profile's section, replaced by a note. A backup must not be the one plaintext copy left on disk.
 */
export function redactSecretBackup(text: string, file: string, profile: string, kind: 'config' | 'credentials', note: string): string {
  let doc = parseIniDocument(text, file);
  const header = findProfileHeader(doc, profile, kind);
  if (header === undefined) return text;
  for (const key of ['aws_secret_access_key', 'aws_session_token', 'aws_security_token']) {
    if ((sectionKeys(doc, header) ?? []).some((k) => k.toLowerCase() === key)) doc = setValue(doc, header, key, note);
  }
  return serializeIniDocument(doc);
}
