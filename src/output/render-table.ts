import { displayWidth, padDisplayEnd } from './display-width.js';

/**
 * A plain-text table: a header row, then rows, columns padded with spaces and separated by two spaces.
 * No colours or box characters, so it pipes into grep/awk/column unchanged. Empty cells show as "-". Columns are
 * padded by display width: a Japanese profile name takes two columns per character (issue 13).
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  const out: string[] = [];
  writeTable(headers, rows, (chunk) => out.push(chunk));
  return out.join('');
}

/**
 * renderTable's text written in pieces of `rowsPerChunk` lines: `swrole list` over 50,000 profiles never builds the
 * whole table as one string (issue 16). The widths need every row first; each row is rendered only when written.
 */
export function writeTable(
  headers: readonly string[],
  rows: readonly (readonly (string | null)[])[],
  write: (chunk: string) => void,
  rowsPerChunk = 1000,
): void {
  const widths = headers.map((header) => displayWidth(header));
  for (const row of rows) {
    for (let i = 0; i < headers.length; i++) {
      const w = displayWidth(sanitize(row[i]));
      if (w > widths[i]!) widths[i] = w;
    }
  }
  const renderRow = (row: readonly (string | null)[]) =>
    headers
      .map((_, i) => (i === headers.length - 1 ? sanitize(row[i]) : padDisplayEnd(sanitize(row[i]), widths[i]!)))
      .join('  ')
      .trimEnd();
  let lines = [renderRow(headers)];
  for (const row of rows) {
    if (lines.length >= rowsPerChunk) {
      write(`${lines.join('\n')}\n`);
      lines = [];
    }
    lines.push(renderRow(row));
  }
  write(`${lines.join('\n')}\n`);
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** One line per row: control characters (newlines from INI continuations) would break the layout. */
function sanitize(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return !CONTROL.test(value) ? value : value.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
