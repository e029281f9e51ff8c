import { lstatSync, readlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The file a path finally names, following symlinks of its last component (a dotfiles repo links
 * `~/.aws/config` there): an edit replaces that file, beside itself, and the link stays a link, as
 * `aws configure set` keeps it. A path that is no link is returned as it is; a dangling link gives its target.
 * Only for files the user owns and asked swrole to edit: swrole's own files are never reached through a link.
 */
export function resolveLinkTarget(path: string): string {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    if (lstatSync(current, { throwIfNoEntry: false })?.isSymbolicLink() !== true) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw Object.assign(new Error(`${path}: too many levels of symbolic links`), { code: 'ELOOP' });
}
