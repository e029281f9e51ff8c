/**
 * The interactive profile picker (issue 13), like Granted's: type to filter (fuzzy, best first), ↑/↓ or Ctrl-P/Ctrl-N
 * to move, Enter to pick, Ctrl-C or Esc to cancel at once. Drawn inline on the terminal the caller gives (stderr:
 * stdout carries only data, so `eval "$(swrole env)"` and `swrole use` still see the picker); keys are read in raw
 * mode with node:readline's keypress decoder. Whatever ends it (a pick, a cancel, the terminal going away), raw
 * mode is turned off, the picker's lines are erased and the cursor is shown. Loaded only when a picker opens.
 */
import { emitKeypressEvents, type Interface } from 'node:readline';
import { fuzzyRank } from './fuzzy-rank.js';
import { layoutPickerRows, type PickerRow } from './picker-layout.js';
import { displayWidth, truncateDisplay } from './display-width.js';
import type { PickerTerminal } from '../platform/picker-terminal.js';

export interface KeyPress {
  name?: string | undefined;
  sequence?: string | undefined;
  ctrl?: boolean | undefined;
  meta?: boolean | undefined;
  shift?: boolean | undefined;
}

/** At most this many rows are listed at once (fewer on a short terminal); the list scrolls with the cursor. */
const MAX_VISIBLE = 10;
/** A lone Esc is told from an arrow key's escape sequence after this long (readline's default is 500 ms). */
const ESCAPE_TIMEOUT_MS = 50;

/** Picker state, separate from the terminal so the key handling is plain logic. */
export interface PickerState {
  query: string;
  matches: PickerRow[];
  cursor: number;
  /** Index of the first listed match (the window scrolls to keep the cursor in view). */
  top: number;
}

export type KeyOutcome = { kind: 'continue' } | { kind: 'picked'; row: PickerRow } | { kind: 'cancelled' };

export function filterRows(rows: readonly PickerRow[], query: string): PickerRow[] {
  return fuzzyRank(query, rows, (row) => [row.profile, `${row.profile} ${row.account} ${row.role} ${row.region}`]);
}

/** Applies one key to the state; returns what the picker does next. */
export function applyKey(state: PickerState, rows: readonly PickerRow[], key: KeyPress): KeyOutcome {
  const name = key.name;
  const move = (delta: number) => {
    const n = state.matches.length;
    if (n > 0) state.cursor = (state.cursor + delta + n) % n;
  };
  const setQuery = (query: string) => {
    state.query = query;
    state.matches = filterRows(rows, query);
    state.cursor = 0;
    state.top = 0;
  };
  if ((key.ctrl && (name === 'c' || name === 'd' || name === '\\')) || name === 'escape') return { kind: 'cancelled' };
  if (name === 'return' || name === 'enter') {
    const row = state.matches[state.cursor];
    return row === undefined ? { kind: 'continue' } : { kind: 'picked', row };
  }
  if (name === 'up' || (key.ctrl && name === 'p') || (name === 'tab' && key.shift)) move(-1);
  else if (name === 'down' || (key.ctrl && name === 'n') || name === 'tab') move(1);
  else if (name === 'pageup') state.cursor = Math.max(0, state.cursor - MAX_VISIBLE);
  else if (name === 'pagedown') state.cursor = Math.max(0, Math.min(state.matches.length - 1, state.cursor + MAX_VISIBLE));
  else if (name === 'backspace') setQuery(Array.from(state.query).slice(0, -1).join(''));
  else if (key.ctrl && name === 'u') setQuery('');
  else if (key.ctrl && name === 'w') setQuery(state.query.replace(/\S*\s*$/u, ''));
  else if (!key.ctrl && !key.meta && key.sequence !== undefined && /^[^\p{Cc}]+$/u.test(key.sequence)) setQuery(state.query + key.sequence);
  return { kind: 'continue' };
}

/** The picker's screen lines: the query line, the visible window of matches, a status line (scrolls `state.top` to keep the cursor in view). */
export function renderPicker(
  state: PickerState,
  rows: readonly PickerRow[],
  size: { columns: number; rows: number },
  prompt: string,
): string[] {
  const width = Math.max(10, size.columns - 1); // never the last column: a pending wrap would break the redraw
  const visible = Math.max(1, Math.min(MAX_VISIBLE, size.rows - 3));
  if (state.cursor < state.top) state.top = state.cursor;
  if (state.cursor >= state.top + visible) state.top = state.cursor - visible + 1;
  const layout = layoutPickerRows(rows, width - 2);
  const lines = [truncateDisplay(`${prompt}${state.query}`, width)];
  const window = state.matches.slice(state.top, state.top + visible);
  window.forEach((row, i) => {
    const selected = state.top + i === state.cursor;
    const line = layout(row);
    lines.push(selected ? `\x1b[1m> ${line}\x1b[0m` : `  ${line}`);
  });
  if (state.matches.length === 0) lines.push(truncateDisplay(`  (no profile matches "${state.query}")`, width));
  lines.push(truncateDisplay(`  ${state.matches.length}/${rows.length}  ↑↓ move · Enter pick · Esc cancel`, width));
  return lines;
}

/**
 * Runs the picker until a row is picked (resolves with it) or the person cancels (resolves undefined). The
 * terminal is restored and closed before it resolves, whatever happened.
 */
export function runPicker(terminal: PickerTerminal, rows: readonly PickerRow[], prompt: string): Promise<PickerRow | undefined> {
  const state: PickerState = { query: '', matches: filterRows(rows, ''), cursor: 0, top: 0 };
  const { input } = terminal;
  // How many lines the picker occupies below (and including) the query line, where the cursor sits between draws.
  let height = 0;
  /**
   * Rewrites the picker's lines in place, line by line (erase-line, never erase-below: tmux copies a screen
   * cleared from its top row into the scrollback, which would fill it with every keystroke's list), blanks the
   * lines a longer list left, and puts the cursor back at the end of the query.
   */
  const paint = (lines: readonly string[], column: number) => {
    const total = Math.max(lines.length, height);
    let text = '';
    for (let i = 0; i < total; i++) text += `${i === 0 ? '\r' : '\r\n'}\x1b[2K${lines[i] ?? ''}`;
    if (total > 1) text += `\x1b[${total - 1}A`;
    text += `\r${column > 0 ? `\x1b[${column}C` : ''}`;
    terminal.write(text);
    height = total;
  };
  const draw = () => {
    const lines = renderPicker(state, rows, terminal.size(), prompt);
    paint(lines, displayWidth(lines[0]!));
  };
  return new Promise((resolve) => {
    let done = false;
    const finish = (row: PickerRow | undefined) => {
      if (done) return;
      done = true;
      input.removeListener('keypress', onKey);
      input.removeListener('end', onGone);
      input.removeListener('error', onGone);
      try {
        input.setRawMode(false);
      } catch {
        // the terminal is gone
      }
      input.pause();
      // Erase the picker and show the cursor, whatever ended it.
      if (height > 0) paint([], 0);
      terminal.write('\x1b[?25h');
      terminal.close();
      resolve(row);
    };
    const onKey = (text: string | undefined, key: KeyPress | undefined) => {
      const outcome = applyKey(state, rows, key ?? { sequence: text });
      if (outcome.kind === 'picked') finish(outcome.row);
      else if (outcome.kind === 'cancelled') finish(undefined);
      else draw();
    };
    const onGone = () => finish(undefined);
    try {
      // The keypress decoder's escape timeout comes from the readline interface it is given; only that field is read.
      emitKeypressEvents(input as unknown as NodeJS.ReadableStream, { escapeCodeTimeout: ESCAPE_TIMEOUT_MS } as unknown as Interface);
      input.setRawMode(true);
    } catch {
      finish(undefined);
      return;
    }
    input.on('keypress', onKey);
    input.once('end', onGone);
    input.once('error', onGone);
    input.resume();
    draw();
  });
}
