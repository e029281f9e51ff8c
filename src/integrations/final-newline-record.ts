import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../platform/atomic-write.js';
import type { PosixUser } from '../platform/deps.js';
import { projectKey } from '../platform/project-key.js';
import { readTextNoFollow } from '../platform/read-no-follow.js';
import { ensureOwnPath } from '../platform/trusted-dir.js';

/**
 * `swrole setup` appends sections. When the user's file did not end with a newline, the first append had to add
 * one after their last line; once the sections swrole added are gone again, so should that newline be. The
 * backup cannot tell after two setups (it holds the bytes before the last one), so the setup that adds the
 * newline notes the line it went after, under the state dir (`setup/<hash of the file's real path>.json`), and
 * the removal that leaves that line last again takes the newline back.
 */
interface FinalNewlineNote {
  version: 1;
  file: string;
  /** The user's last line (without a newline) when swrole added one after it. */
  lastLine: string;
}

export interface NoteStore {
  stateDir: string;
  user: PosixUser | undefined;
  platform: NodeJS.Platform;
}

const SETUP_DIR = 'setup';
const noteName = (file: string) => `${projectKey(file)}.json`;

/** A file an append must add a newline to (not a new or empty one). */
export function lacksFinalNewline(text: string | undefined): text is string {
  return text !== undefined && text !== '' && !text.endsWith('\n');
}

/** Before an append: when `before` lacks a final newline, remember the line the append goes after. */
export function noteAddedFinalNewline(store: NoteStore, file: string, before: string | undefined): void {
  if (!lacksFinalNewline(before)) return;
  const dir = ensureOwnPath(store.stateDir, [SETUP_DIR], store.user, { create: true });
  const note: FinalNewlineNote = { version: 1, file, lastLine: before.slice(before.lastIndexOf('\n') + 1) };
  writeFileAtomic(dir!, noteName(file), `${JSON.stringify(note)}\n`, store.platform);
}

/**
 * After a removal that took sections out: when the text ends with the noted line plus the newline swrole added,
 * that newline goes (and the note with it). Anything else (a user's line after it, a section still there) is left.
 */
export function takeBackFinalNewline(store: NoteStore, file: string, text: string): string {
  const dir = ensureOwnPath(store.stateDir, [SETUP_DIR], store.user, { create: false });
  if (dir === undefined) return text;
  let note: FinalNewlineNote;
  try {
    note = JSON.parse(readTextNoFollow(join(dir, noteName(file)))) as FinalNewlineNote;
  } catch {
    return text;
  }
  const eol = text.endsWith('\r\n') ? '\r\n' : text.endsWith('\n') ? '\n' : undefined;
  if (note?.version !== 1 || typeof note.lastLine !== 'string' || eol === undefined) return text;
  const body = text.slice(0, -eol.length);
  if (body.slice(body.lastIndexOf('\n') + 1) !== note.lastLine) return text;
  unlinkSync(join(dir, noteName(file)));
  return body;
}
