/**
 * The `swrole keys` subcommands, loaded as one chunk (src/cli/command-table.ts): they share the config editor,
 * the key stores and the credentials code, and five chunks would carry five copies of it in the installed package.
 */
export * as add from './add.js';
export * as importKeys from './import.js';
export * as list from './list.js';
export * as remove from './remove.js';
export * as rotate from './rotate.js';
