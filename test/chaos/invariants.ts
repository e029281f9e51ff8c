// What must hold after any kill (issue 15): no torn file anywhere swrole writes, the user's files in one of the
// states whole commands produce (no lost or reordered byte), swrole's records consistent with them, modes kept,
// and no temp file of a killed writer surviving the next writer. Files are found by walking, not by a list of
// swrole's paths: the campaign keeps working when swrole's directories move.
import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * `stale-view`: the settings name a profile the agent view no longer grants. A killed `agent claude` leaves this
 * between its view write and its settings write (fail-closed: the agent's AWS calls fail until the next
 * `agent claude`); the campaign counts it after such a kill and fails it anywhere else.
 */
export type ViolationKind = 'corrupt' | 'user-bytes' | 'mode' | 'stale-temp' | 'inconsistent' | 'stale-view';

export interface Violation {
  kind: ViolationKind;
  path: string;
  detail: string;
}

/** A user's file and every state whole swrole commands can leave it in (label → bytes). */
export interface UserFileStates {
  path: string;
  /** The file's own mode, which every edit keeps. */
  mode: number;
  states: Map<string, string>;
}

export interface Expectations {
  /** Walked recursively; only swrole writes there. */
  stateRoots: string[];
  /** ~/.aws and the project's .claude: the user's dirs, where swrole adds backups, locks and temp files. */
  userDirs: string[];
  config: UserFileStates;
  settings: UserFileStates;
  /** The project's .git/info/exclude. */
  exclude: UserFileStates;
  /** Never written by swrole: must keep its exact bytes. */
  untouched: Array<{ path: string; bytes: Buffer }>;
}

/** A writer lives milliseconds between its temp file and the rename; the next writer removes one older than this. */
export const STALE_TEMP_MS = 10_000;
/** Clock granularity and the time between a writer's temp file and the mtime of what it finally wrote. */
const STALE_SLACK_MS = 1_500;

const isTemp = (name: string) => name.startsWith('.') && name.endsWith('.tmp');
const isLock = (name: string) => /\.lock(\.takeover)?$/.test(name);
const isLog = (name: string) => /\.log(\.\d+)?$/.test(name);
const isBackup = (name: string) => /backup$/.test(name);

/** A temp file that holds credentials (a session being written): what must never outlive the next writer. */
export function holdsCredentials(text: string): boolean {
  return /"(secretAccessKey|SecretAccessKey|sessionToken|SessionToken)"\s*:/.test(text);
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A light INI check (an AWS config or credentials file swrole wrote, e.g. an agent's view): whole lines only. */
function looksLikeWholeIni(text: string): boolean {
  if (text === '') return true;
  if (!text.endsWith('\n')) return false;
  return text
    .split('\n')
    .slice(0, -1)
    .every((line) => /^\s*$/.test(line) || /^\s*[#;]/.test(line) || /^\[[^\]]+\]\s*$/.test(line) || /^\s*[\w.-]+\s*=/.test(line));
}

interface Entry {
  path: string;
  stat: Stats;
}

function walk(root: string, out: Entry[]): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(root, name);
    let stat: Stats;
    try {
      stat = lstatSync(path);
    } catch {
      continue; // removed meanwhile
    }
    out.push({ path, stat });
    if (stat.isDirectory()) walk(path, out);
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export interface CheckResult {
  violations: Violation[];
  /** Files and directories looked at. */
  checked: number;
  /** Temp files of killed writers seen (young enough to be allowed). */
  temps: number;
  /** Lock files seen (a killed holder's, until the next caller takes it over). */
  locks: number;
}

function stateOf(file: UserFileStates): { text: string | undefined; label: string | undefined } {
  const text = readText(file.path);
  if (text === undefined) return { text, label: undefined };
  for (const [label, bytes] of file.states) if (bytes === text) return { text, label };
  return { text, label: undefined };
}

/** Where two texts first differ, for a readable report. */
function firstDifference(text: string, states: Map<string, string>): string {
  const original = states.get('original') ?? '';
  let i = 0;
  while (i < text.length && i < original.length && text[i] === original[i]) i++;
  return `${text.length} bytes, not one of ${states.size} legitimate states (${[...states.keys()].join(', ')}); first difference from the original at byte ${i}: ${JSON.stringify(text.slice(i, i + 60))}`;
}

export function checkInvariants(x: Expectations): CheckResult {
  const violations: Violation[] = [];
  const add = (kind: ViolationKind, path: string, detail: string) => violations.push({ kind, path, detail });
  let temps = 0;
  let locks = 0;

  // The user's files: exactly one of the states whole commands produce, with their own mode.
  for (const file of [x.config, x.settings, x.exclude]) {
    const { text, label } = stateOf(file);
    if (text === undefined) add('user-bytes', file.path, 'the file is gone');
    else if (label === undefined) add('user-bytes', file.path, firstDifference(text, file.states));
    const mode = (() => {
      try {
        return lstatSync(file.path).mode & 0o777;
      } catch {
        return undefined;
      }
    })();
    if (mode !== undefined && mode !== file.mode) add('mode', file.path, `mode ${mode.toString(8)}, was ${file.mode.toString(8)}`);
  }
  for (const file of x.untouched) {
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(file.path);
    } catch {
      bytes = undefined;
    }
    if (bytes === undefined || !bytes.equals(file.bytes)) add('user-bytes', file.path, 'changed, but swrole never writes it');
  }

  const entries: Entry[] = [];
  for (const root of x.stateRoots) walk(root, entries);
  const inUserDirs: Entry[] = [];
  for (const dir of x.userDirs) {
    for (const name of (() => {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    })()) {
      const path = join(dir, name);
      try {
        inUserDirs.push({ path, stat: lstatSync(path) });
      } catch {
        // removed meanwhile
      }
    }
  }
  const userFiles = new Set([x.config.path, x.settings.path, x.exclude.path, ...x.untouched.map((f) => f.path)]);
  const all = [...entries, ...inUserDirs.filter((e) => !userFiles.has(e.path))];

  // Newest file a cleaning writer wrote, per directory (temp files older than it by STALE_TEMP_MS must be gone).
  const newestWrite = new Map<string, number>();
  for (const { path, stat } of [...all, ...inUserDirs]) {
    const name = basename(path);
    if (!stat.isFile() || isTemp(name) || isLock(name) || isLog(name) || isBackup(name)) continue;
    newestWrite.set(dirname(path), Math.max(newestWrite.get(dirname(path)) ?? 0, stat.mtimeMs));
  }

  for (const { path, stat } of all) {
    const name = basename(path);
    const inState = entries.some((e) => e.path === path);
    if (stat.isSymbolicLink()) {
      add('corrupt', path, 'a symbolic link where swrole keeps files');
      continue;
    }
    if (stat.isDirectory()) {
      if (inState && (stat.mode & 0o777) !== 0o700) add('mode', path, `directory mode ${(stat.mode & 0o777).toString(8)}, expected 700`);
      continue;
    }
    // A temp file beside one of the user's files carries that file's own mode (it becomes the file); the rest is 0600.
    const target = isTemp(name) ? name.slice(1).replace(/\.swrole-[a-z0-9]+\.tmp$/, '') : undefined;
    const tempOf = [x.config, x.settings, x.exclude].find((f) => basename(f.path) === target);
    const expected = tempOf !== undefined && dirname(tempOf.path) === dirname(path) ? tempOf.mode : 0o600;
    if ((stat.mode & 0o777) !== expected) add('mode', path, `mode ${(stat.mode & 0o777).toString(8)}, expected ${expected.toString(8)}`);
    const text = readText(path);
    if (text === undefined) continue; // removed meanwhile
    if (isTemp(name)) {
      temps++;
      const newest = newestWrite.get(dirname(path)) ?? 0;
      if (newest - stat.mtimeMs > STALE_TEMP_MS + STALE_SLACK_MS) {
        add(
          'stale-temp',
          path,
          `a killed writer's temp file${holdsCredentials(text) ? ' holding credentials' : ''} outlived a write ${Math.round((newest - stat.mtimeMs) / 1000)} s later in its directory`,
        );
      }
      continue;
    }
    if (isLock(name)) {
      locks++;
      if (!parsesAsJson(text)) add('corrupt', path, `a lock file that is not a whole record: ${JSON.stringify(text.slice(0, 80))}`);
      continue;
    }
    if (isLog(name)) {
      const lines = text.split('\n');
      if (lines.pop() !== '') add('corrupt', path, 'a log whose last line is cut off');
      const bad = lines.findIndex((line) => !parsesAsJson(line));
      if (bad >= 0) add('corrupt', path, `log line ${bad + 1} is not JSON: ${JSON.stringify(lines[bad]!.slice(0, 80))}`);
      continue;
    }
    if (isBackup(name)) {
      // A copy of the user's file as it was before an edit: one of its legitimate states.
      const states = [x.config, x.settings].find((f) => basename(path).startsWith(basename(f.path))) ?? (inState ? x.settings : x.config);
      if (![...states.states.values()].includes(text))
        add('corrupt', path, `a backup that is no whole earlier state of ${states.path}: ${firstDifference(text, states.states)}`);
      continue;
    }
    if (name.endsWith('.json')) {
      if (!parsesAsJson(text)) add('corrupt', path, `torn JSON (${text.length} bytes): ${JSON.stringify(text.slice(-60))}`);
      continue;
    }
    if ((name === 'config' || name === 'credentials') && !looksLikeWholeIni(text)) add('corrupt', path, 'a torn AWS config file');
    else if (name.endsWith('.sh') && text !== '' && !text.endsWith('\n')) add('corrupt', path, 'a torn shell script');
  }

  violations.push(...consistency(x));
  return { violations, checked: all.length + 4, temps, locks };
}

/**
 * swrole's records against the files: while the settings carry swrole's part, they point the agent at a view
 * that grants the profile they name, and a record exists for `--remove` (found by its content: a JSON file
 * under the state dirs naming the settings file).
 */
function consistency(x: Expectations): Violation[] {
  const out: Violation[] = [];
  const { text, label } = stateOf(x.settings);
  if (text === undefined || label === undefined || label === 'original') return out;
  const env = (JSON.parse(text) as { env?: Record<string, string> }).env ?? {};
  const viewConfig = env.AWS_CONFIG_FILE;
  const profile = env.AWS_PROFILE;
  if (viewConfig !== undefined && profile !== undefined) {
    const view = readText(viewConfig);
    const header = new RegExp(`^\\[(profile )?"?${profile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\]`, 'm');
    if (view === undefined)
      out.push({ kind: 'inconsistent', path: x.settings.path, detail: `AWS_CONFIG_FILE ${viewConfig} does not exist` });
    else if (!header.test(view))
      out.push({
        kind: 'stale-view',
        path: x.settings.path,
        detail: `AWS_PROFILE=${profile} is not a profile of the view ${viewConfig}`,
      });
  }
  const entries: Entry[] = [];
  for (const root of x.stateRoots) walk(root, entries);
  const hasRecord = entries.some(({ path, stat }) => {
    if (!stat.isFile() || !path.endsWith('.json')) return false;
    const body = readText(path);
    if (body === undefined || !parsesAsJson(body)) return false;
    const flat = JSON.stringify(JSON.parse(body));
    return flat.includes(JSON.stringify(x.settings.path)) && flat.includes('"owner":"swrole"');
  });
  if (!hasRecord)
    out.push({ kind: 'inconsistent', path: x.settings.path, detail: "swrole's part is in the settings but no record to remove it exists" });
  return out;
}
