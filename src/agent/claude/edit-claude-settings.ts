import { acquireFileLock } from '../../platform/file-lock.js';
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SwroleError } from '../../errors.js';
import { ensurePrivateDir } from '../../platform/private-dir.js';
import { projectKey } from '../../platform/project-key.js';
import { fastHash } from '../../platform/fast-hash.js';
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

/** Records and backups are keyed by the project's real path, so `--remove` finds them from any spelling of it. */
function statePaths(stateDir: string, projectDir: string): { dir: string; name: string; backupName: string; backup: string } {
  const key = projectKey(projectDir);
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

  async function edit(projectDir: string, change: SettingsChange): Promise<EditResult> {
    const claudeDir = join(projectDir, '.claude');
    const file = join(projectDir, SETTINGS_REL_PATH);
    const git = change.kind === 'apply' && deps.runGit ? await ensureGitIgnored(projectDir, SETTINGS_REL_PATH, deps.runGit) : undefined;
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
      return await editLocked(projectDir, claudeDir, file, change, git);
    } finally {
      if (!lock.release()) deps.warn(`the lock ${lock.path} was removed by someone else during the edit`);
    }
  }

  async function editLocked(
    projectDir: string,
    claudeDir: string,
    file: string,
    change: SettingsChange,
    git: IgnoreOutcome | undefined,
  ): Promise<EditResult> {
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
    const state = statePaths(deps.stateDir, projectDir);
    const recordFile = join(state.dir, state.name);
    inState('create', state.dir, () => ensurePrivateDir(state.dir, deps.platform));
    const stored = readStored(recordFile, deps.warn);
    const inForce = recordInForce(stored, before);
    const base: EditResult = { file, changed: false, skipped: [], ...(git ? { git } : {}) };

    if (change.kind === 'apply') {
      const additions: SettingsAdditions = {
        vars: change.vars,
        ...(change.hooks ? { hooks: change.hooks } : {}),
        ...(change.statusLine ? { statusLine: change.statusLine } : {}),
      };
      const { text, record } = applyToSettings(before, additions, 'swrole', { file, ...(inForce ? { prior: inForce } : {}) });
      // Nothing to write and no file: do not create an empty one (env-file mode without hooks).
      if (before === undefined && record.entries.length === 0 && record.hooks === undefined && record.statusLine === undefined) return base;
      if (before === undefined) record.createdFile = true;
      // Record first, marked pending with the record it replaces: a kill or failure before the settings write
      // leaves a record the next edit sets aside (recordInForce), so swrole's own values are never taken for the
      // user's. Once the settings are written, the record is stored again without the mark.
      const next: StoredRecord = { version: 1, project: projectDir, file, updatedAt: new Date(deps.now()).toISOString(), record };
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
      inProject('write', file, () => replaceFileAtomic(file, text, mode, deps.platform), file);
      store(next);
      return { ...base, changed: true, record, ...(before !== undefined ? { backup: state.backup } : {}) };
    }

    if (stored === undefined) return base;
    // An interrupted first apply that never reached the file: nothing of swrole's to take back.
    if (before === undefined || inForce === undefined) {
      inState("remove swrole's record", recordFile, () => unlinkSync(recordFile));
      return { ...base, ...(inForce ? { record: inForce } : {}) };
    }
    const { text, skipped } = removeFromSettings(before, inForce, file);
    for (const item of skipped) deps.warn(`${file}: left ${item} in place: it changed after swrole wrote it`);
    inState('write the backup', state.backup, () => writeFileAtomic(state.dir, state.backupName, before, deps.platform));
    const emptyNow = inForce.createdFile === true && Object.keys(JSON.parse(text.replace(/^\uFEFF/, '')) as object).length === 0;
    if (emptyNow) inProject('delete', file, () => unlinkSync(file), file);
    else if (text !== before) inProject('write', file, () => replaceFileAtomic(file, text, mode, deps.platform), file);
    inState("remove swrole's record", recordFile, () => unlinkSync(recordFile));
    return { ...base, changed: emptyNow || text !== before, record: inForce, skipped, backup: state.backup };
  }

  return { edit };
}
