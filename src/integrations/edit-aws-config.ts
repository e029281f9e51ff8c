import { parseIniDocument, serializeIniDocument } from '../config/ini-document.js';
import { appendSection, findSection, removeSection } from '../config/ini-edit.js';
import { renderProfileHeader } from './credential-process-command.js';

export interface SetupProfile {
  /** The new profile's name, e.g. `prod.swrole`. */
  name: string;
  entries: ReadonlyArray<readonly [string, string]>;
}

export interface ConfigEditResult {
  text: string;
  added: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * Adds (or brings up to date) one section per profile, touching nothing else: an existing section of the same
 * name is replaced in place only when its content differs, so running setup twice changes nothing.
 * PURE: text in, text out.
 */
export function addProfilesToConfig(text: string, file: string, profiles: readonly SetupProfile[]): ConfigEditResult {
  let doc = parseIniDocument(text, file);
  const result: ConfigEditResult = { text, added: [], updated: [], unchanged: [], removed: [] };
  for (const profile of profiles) {
    const header = renderProfileHeader(profile.name);
    const existing = findSection(doc, header);
    if (existing) {
      const current = doc.lines.slice(existing.start + 1, existing.end).filter((l) => l.kind === 'entry');
      const same =
        current.length === profile.entries.length &&
        current.every((l, i) => l.kind === 'entry' && l.key === profile.entries[i]![0] && l.value === profile.entries[i]![1]);
      if (same) {
        result.unchanged.push(profile.name);
        continue;
      }
      doc = removeSection(doc, header);
      result.updated.push(profile.name);
    } else {
      result.added.push(profile.name);
    }
    doc = appendSection(doc, header, profile.entries);
  }
  result.text = serializeIniDocument(doc);
  return result;
}

/** Removes the named sections (only those); absent ones are ignored. PURE. */
export function removeProfilesFromConfig(text: string, file: string, names: readonly string[]): ConfigEditResult {
  let doc = parseIniDocument(text, file);
  const result: ConfigEditResult = { text, added: [], updated: [], unchanged: [], removed: [] };
  for (const name of names) {
    const header = renderProfileHeader(name);
    if (!findSection(doc, header)) continue;
    doc = removeSection(doc, header);
    result.removed.push(name);
  }
  result.text = serializeIniDocument(doc);
  return result;
}
