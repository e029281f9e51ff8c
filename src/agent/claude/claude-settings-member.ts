import { SwroleError } from '../../errors.js';
import { findMember, lineIndentAt } from '../../integrations/json-document.js';
import { canonicalJson, deleteMember, insertMember, renderValue, rootObject, splice, type JsonValue } from './claude-settings-text.js';
import type { AppliedRecord } from './claude-settings-record.js';

/** Top-level settings members swrole may own whole: the statusLine, and Bedrock's awsCredentialExport (user settings). */
export type OwnedMember = 'statusLine' | 'awsCredentialExport' | 'sandbox';

type Owned = Partial<Record<OwnedMember, JsonValue>>;

/** swrole never replaces a value of the user's: what to say instead. */
function refusal(name: OwnedMember, file: string, value: unknown): SwroleError {
  if (name === 'statusLine') {
    const command = typeof value === 'object' && value !== null ? (value as { command?: unknown }).command : undefined;
    return new SwroleError(
      'E_SETTINGS_STATUSLINE',
      `${file}: already has a statusLine of its own${typeof command === 'string' ? ` (${command})` : ''}; swrole does not replace it`,
      {
        hint: 'run without --statusline, or remove your statusLine from the file first (or call `swrole agent statusline` from your own status script)',
      },
    );
  }
  if (name === 'sandbox') {
    return new SwroleError('E_SETTINGS_MEMBER', `${file}: already has a sandbox block of its own; swrole does not replace it`, {
      hint: 'run without --contain, or move your sandbox settings to ~/.claude/settings.json (Claude Code merges them) and run swrole again',
    });
  }
  return new SwroleError('E_SETTINGS_MEMBER', `${file}: already has an ${name} of its own; swrole does not replace it`, {
    hint: `keep yours (Claude Code's Bedrock client then uses it), or remove it from the file and run swrole again`,
  });
}

/**
 * PURE: puts swrole's value of a top-level member (settings.md `statusLine`, `awsCredentialExport`) or takes back
 * the one an earlier apply added. A different value of the user's is never replaced: refused.
 */
export function applyOwnedMemberPart(
  text: string,
  name: OwnedMember,
  wanted: JsonValue | undefined,
  record: AppliedRecord,
  prior: AppliedRecord | undefined,
  file: string,
): string {
  const owned = record as Owned;
  const before = (prior as Owned | undefined)?.[name];
  const root = rootObject(text, file);
  const member = findMember(root, name);
  const value: unknown = member === undefined ? undefined : JSON.parse(text.slice(member.valueStart, member.valueEnd));
  const current = member === undefined ? undefined : canonicalJson(value);
  const ours = before !== undefined && current === canonicalJson(before);
  delete owned[name];
  // `ours` means the member is there and is the value swrole wrote: take it back.
  if (wanted === undefined) return ours ? deleteMember(text, root, root.members.lastIndexOf(member!)) : text;
  if (member === undefined) {
    if (root.members.length === 0) record.rootEmptyInner ??= text.slice(root.start + 1, root.end - 1);
    owned[name] = wanted;
    return insertMember(text, root, name, wanted);
  }
  if (current === canonicalJson(wanted)) {
    if (ours) owned[name] = wanted;
    return text;
  }
  if (!ours) throw refusal(name, file, value);
  // swrole's own earlier value (e.g. another node path): replaced where it stands.
  owned[name] = wanted;
  const raw = text.slice(member.valueStart, member.valueEnd);
  return splice(
    text,
    member.valueStart,
    member.valueEnd,
    renderValue(text, wanted, lineIndentAt(text, member.keyStart), !raw.includes('\n')),
  );
}

/** PURE: takes back swrole's value of `name`; one changed since is left alone and named in `skipped`. */
export function removeOwnedMemberPart(text: string, name: OwnedMember, record: AppliedRecord, file: string, skipped: string[]): string {
  const ours = (record as Owned)[name];
  if (ours === undefined) return text;
  const root = rootObject(text, file);
  const member = findMember(root, name);
  if (member === undefined) return text;
  if (canonicalJson(JSON.parse(text.slice(member.valueStart, member.valueEnd))) !== canonicalJson(ours)) {
    skipped.push(name);
    return text;
  }
  return deleteMember(text, root, root.members.lastIndexOf(member));
}
