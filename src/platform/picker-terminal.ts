/** The keyboard side of the picker's terminal: what a tty.ReadStream offers (raw mode, keypress events). */
export interface PickerInput extends NodeJS.EventEmitter {
  setRawMode(mode: boolean): unknown;
  resume(): unknown;
  pause(): unknown;
}

/**
 * The terminal the profile picker (src/output/run-picker.ts) draws on and reads from: keys from the terminal,
 * the screen on stderr (stdout carries only data). Built in src/cli (the only place that touches process).
 */
export interface PickerTerminal {
  input: PickerInput;
  /** Writes to the screen (the terminal on stderr). */
  write(text: string): void;
  /** The screen's size now (read at every redraw, so a resized window is followed). */
  size(): { columns: number; rows: number };
  /** Gives the terminal back (closes what was opened for the picker); called once, after raw mode is off. */
  close(): void;
}
