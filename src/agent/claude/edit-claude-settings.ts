import { acquireFileLock } from '../../platform/file-lock.js';
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SwroleError } from '../../errors.js';
import { ensurePrivateDir } from '../../platform/private-dir.js';
import { projectKey } from '../../platform/project-key.js';
import { writeFileAtomic } from '../../platform/atomic-write.js';
import { isOwnTempFile, replaceFileAtomic } from '../../platform/atomic-replace.js';
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
  /** swrole's state dir (resolveStateDir): records and backups live there, never in the project. */
  stateDir: string;
  platform: NodeJS.Platform;
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
}

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

/** Records and backups are keyed by the project's real path (so `--remove` finds them from any spelling of it), or `user-settings`. */
function statePaths(stateDir: string, key: string): { dir: string; name: string; backupName: string; backup: string } {
  const dir = join(stateDir, 'claude-settings');
  return { dir, name: `${key}.json`, backupName: `${key}.backup`, backup: join(dir, `${key}.backup`) };
}

function readStored(path: string, warn: (m: string) => void): StoredRecord | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
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
 */
export function createClaudeSettingsEditor(deps: SettingsEditorDeps) {
  // Filesystem failures name the path: the project's file is E_FILE_WRITE (exit 6), swrole's records E_STATE_DIR (exit 5).
  const inProject = <T>(action: string, path: string, write: () => T, file: string): T =>
    translateFileErrors(write, (error) => fileWriteError(action, path, error, `${file} was not changed`));
  const inState = <T>(action: string, path: string, write: () => T): T =>
    translateFileErrors(write, (error) => stateDirError(action, path, error));

  /** A project's `.claude/settings.local.json`. */
  function edit(projectDir: string, change: SettingsChange): Promise<EditResult> {
    return editTarget(
      { file: join(projectDir, SETTINGS_REL_PATH), owner: projectDir, recordKey: projectKey(projectDir), gitProject: projectDir },
      change,
    );
  }

  /** The user's own settings file (`~/.claude/settings.json`): for what Claude Code reads there only. */
  function editUserSettings(file: string, change: SettingsChange): Promise<EditResult> {
    return editTarget({ file, owner: 'user', recordKey: 'user-settings' }, change);
  }

  async function editTarget(target: SettingsTarget, change: SettingsChange): Promise<EditResult> {
    const { file } = target;
    const claudeDir = dirname(file);
    const git =
      change.kind === 'apply' && deps.runGit && target.gitProject !== undefined
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
      return await editLocked(target, claudeDir, change, git);
    } finally {
      if (!lock.release()) deps.warn(`the lock ${lock.path} was removed by someone else during the edit`);
    }
  }

  async function editLocked(
    target: SettingsTarget,
    claudeDir: string,
    change: SettingsChange,
    git: IgnoreOutcome | undefined,
  ): Promise<EditResult> {
    const { file } = target;
    // Any temp file of ours still here belongs to a writer that died: we hold the lock.
    inProject(
      'remove leftover temp files in',
      claudeDir,
      () => {
        for (const name of readdirSync(claudeDir)) if (isOwnTempFile(file, name)) unlinkSync(join(claudeDir, name));
      },
      file,
    );

    const { text: before, mode } = translateFileErrors(
      () => readTextAndMode(file, 0o600),
      (error) => fileReadError(file, error),
    );
    const state = statePaths(deps.stateDir, target.recordKey);
    const recordFile = join(state.dir, state.name);
    inState('create', state.dir, () => ensurePrivateDir(state.dir, deps.platform));
    const stored = readStored(recordFile, deps.warn);
    const base: EditResult = { file, changed: false, skipped: [], ...(git ? { git } : {}) };

    if (change.kind === 'apply') {
      const additions: SettingsAdditions = {
        vars: change.vars,
        ...(change.hooks ? { hooks: change.hooks } : {}),
        ...(change.statusLine ? { statusLine: change.statusLine } : {}),
        ...(change.awsCredentialExport ? { awsCredentialExport: change.awsCredentialExport } : {}),
      };
      const { text, record } = applyToSettings(before, additions, 'swrole', { file, ...(stored ? { prior: stored.record } : {}) });
      // Nothing to write and no file: do not create an empty one (env-file mode without hooks).
      const ownsNothing =
        record.entries.length === 0 &&
        record.hooks === undefined &&
        record.statusLine === undefined &&
        record.awsCredentialExport === undefined;
      if (before === undefined && ownsNothing) return base;
      if (before === undefined) record.createdFile = true;
      // Record first: a crash after it but before the write leaves entries that remove() simply skips.
      const next: StoredRecord = { version: 1, project: target.owner, file, updatedAt: new Date(deps.now()).toISOString(), record };
      inState("write swrole's record", recordFile, () =>
        writeFileAtomic(state.dir, state.name, `${JSON.stringify(next, null, 2)}\n`, deps.platform),
      );
      if (text === before) return { ...base, record };
      if (before !== undefined)
        inState('write the backup', state.backup, () => writeFileAtomic(state.dir, state.backupName, before, deps.platform));
      inProject('write', file, () => replaceFileAtomic(file, text, mode, deps.platform), file);
      return { ...base, changed: true, record, ...(before !== undefined ? { backup: state.backup } : {}) };
    }

    if (stored === undefined) return base;
    if (before === undefined) {
      inState("remove swrole's record", recordFile, () => unlinkSync(recordFile));
      return { ...base, record: stored.record };
    }
    const { text, skipped } = removeFromSettings(before, stored.record, file);
    for (const item of skipped) deps.warn(`${file}: left ${item} in place: it changed after swrole wrote it`);
    inState('write the backup', state.backup, () => writeFileAtomic(state.dir, state.backupName, before, deps.platform));
    const emptyNow = stored.record.createdFile === true && Object.keys(JSON.parse(text.replace(/^\uFEFF/, '')) as object).length === 0;
    if (emptyNow) inProject('delete', file, () => unlinkSync(file), file);
    else if (text !== before) inProject('write', file, () => replaceFileAtomic(file, text, mode, deps.platform), file);
    inState("remove swrole's record", recordFile, () => unlinkSync(recordFile));
    return { ...base, changed: emptyNow || text !== before, record: stored.record, skipped, backup: state.backup };
  }

  return { edit, editUserSettings };
}
