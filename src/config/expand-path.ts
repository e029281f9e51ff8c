/**
 * botocore passes AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE through `os.path.expandvars` then
 * `os.path.expanduser` (configloader.py `raw_config_parse`); the SDK for JS expands only `~/`.
 * We follow botocore so both CLIs read the same file.
 */

/** posixpath.expandvars: `$NAME` / `${NAME}` (NAME = ASCII word chars); unknown variables stay as written. */
export function expandVars(path: string, env: Readonly<Record<string, string | undefined>>): string {
  if (!path.includes('$')) return path;
  return path.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => {
    const key = name.startsWith('{') ? name.slice(1, -1) : name;
    const value = Object.hasOwn(env, key) ? env[key] : undefined;
    return value ?? whole;
  });
}

/**
 * posixpath.expanduser for the current user: a leading `~` alone or before a separator. `~user`
 * (another user's home) is left as written: Node has no getpwnam.
 */
export function expandUser(path: string, homedir: string): string {
  if (!path.startsWith('~')) return path;
  if (path.length > 1 && path[1] !== '/' && path[1] !== '\\') return path;
  const home = homedir.replace(/[/\\]+$/, '');
  return home + path.slice(1) || '/';
}
