import { displayWidth, padDisplayEnd, truncateDisplay } from './display-width.js';

/** One choice of the profile picker: the name, then what it is (account, role, region); missing parts are "". */
export interface PickerRow {
  profile: string;
  account: string;
  role: string;
  region: string;
}

/** Widest a column gets before it is cut with `…` (profile, account, role; the region is last and takes the rest). */
const CAPS = [40, 12, 32] as const;

/** Control characters (an INI continuation's newline) would break the line count the picker redraws by. */
const clean = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

/**
 * The picker's lines, one per row, in the order given: columns padded by display width (a Japanese or spaced
 * name lines up with `prod`), widths taken over every row so they stay put while the list is filtered, and each
 * line cut to `columns` (a wrapped line would break the redraw). The caller prefixes the cursor mark.
 */
export function layoutPickerRows(all: readonly PickerRow[], columns: number): (row: PickerRow) => string {
  const cells = (row: PickerRow) => [row.profile, row.account, row.role].map((cell, i) => truncateDisplay(clean(cell), CAPS[i]!));
  const widths = [0, 0, 0];
  for (const row of all) cells(row).forEach((cell, i) => (widths[i] = Math.max(widths[i]!, displayWidth(cell))));
  return (row) => {
    const parts = cells(row).map((cell, i) => padDisplayEnd(cell, widths[i]!));
    const line = [...parts, clean(row.region)].join('  ').trimEnd();
    return truncateDisplay(line, Math.max(1, columns));
  };
}
