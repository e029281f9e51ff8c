import { displayWidth, padDisplayEnd } from './display-width.js';

/**
 * A plain-text table: a header row, then rows, columns padded with spaces and separated by two spaces.
 * No colours or box characters, so it pipes into grep/awk/column unchanged. Empty cells show as "-". Columns are
 * padded by display width: a Japanese profile name takes two columns per character (issue 13).
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  const cells = rows.map((row) => headers.map((_, i) => sanitize(row[i])));
  const widths = headers.map((header, i) => Math.max(displayWidth(header), ...cells.map((row) => displayWidth(row[i]!))));
  const renderRow = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : padDisplayEnd(cell, widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [renderRow(headers)];
  for (const row of cells) out.push(renderRow(row));
  return `${out.join('\n')}\n`;
}

/** One line per row: control characters (newlines from INI continuations) would break the layout. */
function sanitize(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
