import { acquireFileLock } from '../../platform/file-lock.js';
import { lstatSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SwroleError } from '../../errors.js';
import type { PosixUser } from '../../platform/deps.js';
import { projectKey } from '../../platform/project-key.js';
import { fastHash } from '../../platform/fast-hash.js';
import { writeFileAtomic } from '../../platform/atomic-write.js';
import { isOwnTempFile, replaceFileAtomic } from '../../platform/atomic-replace.js';
import { resolveLinkTarget } from '../../platform/link-target.js';
import { readTextNoFollow } from '../../platform/read-no-follow.js';
import { ensureOwnPath } from '../../platform/trusted-dir.js';
import {
  applyToSettings,
  removeFromSettings,
  type AppliedHook,
  type AppliedRecord,
  type SettingsAdditions,
} from './claude-settings-apply.js';
import { ensureGitIgnored, type IgnoreOutcome, type RunGit } from '../../integrations/git-ignore.js';
import { readTextAndMode } from '../../integrations/safe-file-edit.js';
import { makeDirs } from '../../platform/private-dir.js';
import {
  fileReadError,
  fileWriteError,
  stateDirError,
  translateFileErrors,
  translateFileErrorsAsync,
} from '../../platform/file-system-error.js';

/** Where Claude Code keeps per-user project settings (settings.md: at the git root since v2.1.211). */
export const SETTINGS_REL_PATH = join('.claude', 'settings.local.json');

export interface SettingsEditorDeps {
  now(): number;
  warn(message: string): void;
  /** swrole's state dir (resolveSwroleDirs; verified here): records and backups live there, never in the project. */
  stateDir: string;
  /** Where an earlier swrole kept them (the cache dir): a project's record found only there is moved over. */
  legacyStateDir?: string | undefined;
  platform: NodeJS.Platform;
  /** Owner of the state dirs (src/platform/trusted-dir.ts); undefined on Windows. */
  user: PosixUser | undefined;
  /** When given, the file is checked/added to git's excludes before the first write (refused if tracked). */
  runGit?: RunGit;
  /** This process, for the lock record other editors read (Deps.pid, Deps.invocation). */
  pid: number;
  command: string;
  /** Give up waiting for another editor after this long (default 30 s) → E_SETTINGS_LOCKED. */
  lockWaitMs?: number;
}

/** apply: env variables, plus the hook groups and statusLine swrole should own (those not named are taken back). */
export type SettingsChange = ({ kind: 'apply' } & SettingsAdditions) | { kind: 'remove' };
export type { AppliedHook as SettingsHook };

export interface EditResult {
  file: string;
  changed: boolean;
  /** The record now stored (apply) or the one undone (remove). */
  record?: AppliedRecord;
  /** remove: what was left alone because someone changed it since swrole wrote it (`env.KEY`, `hooks.EVENT (...)`, `statusLine`). */
  skipped: string[];
  /** Where the bytes before this edit were saved, if the file existed. */
  backup?: string;
  git?: IgnoreOutcome;
}

interface StoredRecord {
  version: 1;
  project: string;
  file: string;
  updatedAt: string;
  record: AppliedRecord;
  /**
   * Present between storing `record` and writing the settings it describes: `written` is the hash of the text
   * about to be written, `previous` the record in force before (null: none). Found on the next edit (the writer
   * was killed or failed), the file says which one holds: `record` if the file is that text, else `previous`.
   */
  pending?: { written: string; previous: AppliedRecord | null };
}

/** The record that describes the file as it is: an interrupted edit's record only if its write landed (issue 15). */
function recordInForce(stored: StoredRecord | undefined, current: string | undefined): AppliedRecord | undefined {
  if (stored?.pending === undefined) return stored?.record;
  if (current !== undefined && fastHash(current) === stored.pending.written) return stored.record;
  return stored.pending.previous ?? undefined;
}

/** What a locked section may do: edits of the settings file, in order, while no other editor runs. */
export type LockedEdit = (change: SettingsChange) => EditResult;

/** A settings file swrole edits: a project's local settings, or the user's settings (Bedrock's awsCredentialExport). */
interface SettingsTarget {
  file: string;
  /** What the record says the file belongs to (the project, or the user). */
  owner: string;
  /** Names the record and the backup under the state dir. */
  recordKey: string;
  /** A project's file is checked against git (refused if tracked, else excluded). */
  gitProject?: string;
}

const RECORDS_DIR = 'claude-settings';

/** A directory's entries; none when it does not exist (a dangling settings link into a missing directory). */
function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Records and backups are keyed by the project's real path (so `--remove` finds them from any spelling of it), or `user-settings`. */
function statePaths(stateDir: string, key: string): { dir: string; name: string; backupName: string; backup: string } {
  const dir = join(stateDir, RECORDS_DIR);
  return { dir, name: `${key}.json`, backupName: `${key}.backup`, backup: join(dir, `${key}.backup`) };
}

function readStored(path: string, warn: (m: string) => void): StoredRecord | undefined {
  let text: string;
  try {
    text = readTextNoFollow(path);
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as StoredRecord;
    if (parsed?.version === 1 && Array.isArray(parsed.record?.entries)) return parsed;
  } catch {
    // fall through
  }
  warn(`ignoring unreadable swrole record ${path}`);
  return undefined;
}

/**
 * Edits `.claude/settings.local.json` safely: one editor at a time (file-lock.ts, `<file>.lock`), strict parse
 * (never overwrites a file it cannot read), in-place patch of `env`, atomic replace keeping the file's mode (new
 * files 0600), the previous bytes backed up and the AppliedRecord stored under the state dir (0600 in 0700).
 * A symlinked settings file (dotfiles) keeps its link: its target is replaced, beside itself.
 */
export function createClaudeSettingsEditor(deps: SettingsEditorDeps) {
  // Filesystem failures name the path: the project's file is E_FILE_WRITE (exit 6), swrole's records E_STATE_DIR (exit 5).
  const inProject = <T>(action: string, path: string, write: () => T, file: string): T =>
    translateFileErrors(write, (error) => fileWriteError(action, path, error, `${file} was not changed`));
  const inState = <T>(action: string, path: string, write: () => T): T =>
    translateFileErrors(write, (error) => stateDirError(action, path, error));

  const projectTarget = (projectDir: string): SettingsTarget => ({
    file: join(projectDir, SETTINGS_REL_PATH),
    owner: projectDir,
    recordKey: projectKey(projectDir),
    gitProject: projectDir,
  });

  /** A project's `.claude/settings.local.json`. */
  function edit(projectDir: string, change: SettingsChange): Promise<EditResult> {
    return lockedTarget(projectTarget(projectDir), change.kind === 'apply', (editNow) => editNow(change));
  }

  /** The user's own settings file (`~/.claude/settings.json`): for what Claude Code reads there only. */
  function editUserSettings(file: string, change: SettingsChange): Promise<EditResult> {
    return lockedTarget({ file, owner: 'user', recordKey: 'user-settings' }, change.kind === 'apply', (editNow) => editNow(change));
  }

  /**
   * Runs `body` holding the project's settings lock: whatever else must agree with the settings (the agent view
   * they point at) is written in the same section, so concurrent runs cannot pair one's view with another's
   * settings. `ignore`: make sure git ignores the file first (before any edit that may create it).
   */
  function locked<T>(projectDir: string, ignore: boolean, body: (edit: LockedEdit) => T | Promise<T>): Promise<T> {
    return lockedTarget(projectTarget(projectDir), ignore, body);
  }

  async function lockedTarget<T>(target: SettingsTarget, ignore: boolean, body: (edit: LockedEdit) => T | Promise<T>): Promise<T> {
    const { file } = target;
    const claudeDir = dirname(file);
    const git =
      ignore && deps.runGit && target.gitProject !== undefined
        ? await ensureGitIgnored(target.gitProject, SETTINGS_REL_PATH, deps.runGit)
        : undefined;
    inProject('create', claudeDir, () => makeDirs(claudeDir), file);

    const lock = await translateFileErrorsAsync(
      () =>
        acquireFileLock({
          path: `${file}.lock`,
          owner: { pid: deps.pid, command: deps.command, now: deps.now, platform: deps.platform },
          doing: `editing ${file}`,
          // An edit takes milliseconds (a killed editor's lock is taken over at once): a holder still there is stuck.
          bounds: { workingMs: deps.lockWaitMs ?? 30_000 },
          timeout: (info) =>
            new SwroleError(
              'E_SETTINGS_LOCKED',
              `${file} has been locked for ${Math.round(info.waitedMs / 1000)} s by ${info.description}`,
              {
                hint: `if that process is stuck, stop it and retry${info.unverifiable ? ` (${info.unverifiable}; if it is not running, remove ${info.path})` : ''}`,
              },
            ),
        }),
      (error) => fileWriteError('create the lock', `${file}.lock`, error, `${file} was not changed`),
    );
    // Without `until` the wait ends only with the lock.
    if (lock === undefined) throw new Error('acquireFileLock returned without the lock');
    try {
      // Any temp file of ours still beside the file (or its link target) belongs to a writer that died: we hold the lock.
      const linkTarget = translateFileErrors(
        () => resolveLinkTarget(file),
        (error) => fileReadError(file, error),
      );
      inProject(
        'remove leftover temp files in',
        dirname(linkTarget),
        () => {
          for (const name of namesIn(dirname(linkTarget))) if (isOwnTempFile(linkTarget, name)) unlinkSync(join(dirname(linkTarget), name));
        },
        file,
      );
      return await body((change) => editLocked(target, change, change.kind === 'apply' ? git : undefined));
    } finally {
      if (!lock.release()) deps.warn(`the lock ${lock.path} was removed by someone else during the edit`);
    }
  }

  /** An earlier swrole kept the record in the cache dir: move it (and its backup) over, under our lock. */
  function adoptLegacyRecord(state: ReturnType<typeof statePaths>, recordKey: string): void {
    if (deps.legacyStateDir === undefined) return;
    const legacy = statePaths(deps.legacyStateDir, recordKey);
    if (lstatSync(join(legacy.dir, legacy.name), { throwIfNoEntry: false }) === undefined) return;
    if (lstatSync(join(state.dir, state.name), { throwIfNoEntry: false }) !== undefined) return; // ours is newer
    if (ensureOwnPath(deps.legacyStateDir, [RECORDS_DIR], deps.user, { create: false }) === undefined) return;
    // The backup first: a record without its backup is still a complete undo; the reverse loses the undo.
    for (const name of [legacy.backupName, legacy.name]) {
      const from = join(legacy.dir, name);
      let text: string;
      try {
        text = readTextNoFollow(from);
      } catch {
        continue;
      }
      try {
        renameSync(from, join(state.dir, name));
      } catch {
        // another filesystem (EXDEV): copy atomically, then drop the old one
        writeFileAtomic(state.dir, name, text, deps.platform);
        unlinkSync(from);
      }
    }
  }

  function editLocked(target: SettingsTarget, change: SettingsChange, git: IgnoreOutcome | undefined): EditResult {
    const { file } = target;
    // A symlinked settings file: read and replace what it points at, so the link survives.
    const linkTarget = translateFileErrors(
      () => resolveLinkTarget(file),
      (error) => fileReadError(file, error),
    );
    const { text: before, mode } = translateFileErrors(
      () => readTextAndMode(linkTarget, 0o600),
      (error) => fileReadError(file, error),
    );
    const state = statePaths(deps.stateDir, target.recordKey);
    const recordFile = join(state.dir, state.name);
    inState('create', state.dir, () => ensureOwnPath(deps.stateDir, [RECORDS_DIR], deps.user, { create: true, warn: deps.warn }));
    inState("move an earlier swrole's record to", state.dir, () => adoptLegacyRecord(state, target.recordKey));
    // Temp files of this record and backup belong to a writer that died (we hold the file's lock);
    // they hold whole records or backups, keys-mode keys included.
    inState('remove leftover temp files in', state.dir, () => {
      for (const name of readdirSync(state.dir))
        if (isOwnTempFile(recordFile, name) || isOwnTempFile(state.backup, name)) unlinkSync(join(state.dir, name));
    });
    const stored = readStored(recordFile, deps.warn);
    const inForce = recordInForce(stored, before);
    const base: EditResult = { file, changed: false, skipped: [], ...(git ? { git } : {}) };

    if (change.kind === 'apply') {
      const additions: SettingsAdditions = {
        vars: change.vars,
        ...(change.hooks ? { hooks: change.hooks } : {}),
        ...(change.statusLine ? { statusLine: change.statusLine } : {}),
        ...(change.awsCredentialExport ? { awsCredentialExport: change.awsCredentialExport } : {}),
        ...(change.sandbox ? { sandbox: change.sandbox } : {}),
        ...(change.denyRules ? { denyRules: change.denyRules } : {}),
      };
      const { text, record } = applyToSettings(before, additions, 'swrole', { file, ...(inForce ? { prior: inForce } : {}) });
      // Nothing to write and no file: do not create an empty one (env-file mode without hooks).
      const ownsNothing =
        record.entries.length === 0 &&
        record.hooks === undefined &&
        record.statusLine === undefined &&
        record.awsCredentialExport === undefined &&
        record.sandbox === undefined &&
        record.denyRules === undefined;
      if (before === undefined && ownsNothing) return base;
      if (before === undefined) record.createdFile = true;
      // Record first, marked pending with the record it replaces: a kill or failure before the settings write
      // leaves a record the next edit sets aside (recordInForce), so swrole's own values are never taken for the
      // user's. Once the settings are written, the record is stored again without the mark.
      const next: StoredRecord = { version: 1, project: target.owner, file, updatedAt: new Date(deps.now()).toISOString(), record };
      const store = (stored: StoredRecord) =>
        inState("write swrole's record", recordFile, () =>
          writeFileAtomic(state.dir, state.name, `${JSON.stringify(stored, null, 2)}\n`, deps.platform),
        );
      if (text === before) {
        store(next);
        return { ...base, record };
      }
      store({ ...next, pending: { written: fastHash(text), previous: inForce ?? null } });
      if (before !== undefined)
        inState('write the backup', state.backup, () => writeFileAtomic(state.dir, state.backupName, before, deps.platform));
      inProject('write', linkTarget, () => replaceFileAtomic(linkTarget, text, mode, deps.platform), file);
      store(next);
      return { ...base, changed: true, record, ...(before !== undefined ? { backup: state.backup } : {}) };
    }

    // --remove takes back everything of swrole's for the file, the backup too: in keys mode it holds the keys
    // of the run before (issue 15). The record goes before it (a record without its backup is still an undo).
    const dropBackup = () => inState('delete the backup', state.backup, () => rmSync(state.backup, { force: true }));
    if (stored === undefined) {
      dropBackup();
      return base;
    }
    // An interrupted first apply that never reached the file: nothing of swrole's to take back.
    if (before === undefined || inForce === undefined) {
      inState("remove swrole's record", recordFile, () => unlinkSync(recordFile));
      dropBackup();
      return { ...base, ...(inForce ? { record: inForce } : {}) };
    }
    const { text, skipped } = removeFromSettings(before, inForce, file);
    for (const item of skipped) deps.warn(`${file}: left ${item} in place: it changed after swrole wrote it`);
    const emptyNow = inForce.createdFile === true && Object.keys(JSON.parse(text.replace(/^\uFEFF/, '')) as object).length === 0;
    // A file swrole created and that is empty again goes; unless it has become a link since (then its target stays, emptied).
    if (emptyNow && linkTarget === file) inProject('delete', file, () => unlinkSync(file), file);
    else if (text !== before) inProject('write', linkTarget, () => replaceFileAtomic(linkTarget, text, mode, deps.platform), file);
    inState("remove swrole's record", recordFile, () => unlinkSync(recordFile));
    dropBackup();
    return { ...base, changed: emptyNow || text !== before, record: inForce, skipped };
  }

  return { edit, editUserSettings, locked };
}
