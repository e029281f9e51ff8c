// Filesystem faults for e2e tests: runs the built swrole with one directory made unusable in a real way.
//   ENOTDIR  the directory is replaced by a plain file (a state dir "under a plain file")
//   EISDIR   a file swrole writes is occupied by a directory
//   EACCES   the directory belongs to root, mode 0555, and swrole runs as an unprivileged user
//            (root ignores permission bits: as root, swrole is run through `setpriv` as nobody);
//            not root: the directory gets mode 0500
//   EROFS    a tmpfs holding a copy of the content is mounted on the directory, then made read-only
//            (`mount -o remount,bind,ro`: the per-mount flag, which a user namespace may set too)
//   ENOSPC   a tiny tmpfs holding a copy of the content is mounted on the directory and filled up
// The mounts live in a private mount namespace of the swrole process (`unshare --mount` as root, or
// `unshare --user --map-root-user --mount` otherwise) and vanish with it: nothing leaks onto the machine.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, type RunResult } from './swrole-run.js';
import { spawnDetached } from './run-detached.js';

// Directories made here are 0700, as swrole makes its own: a looser one would be tightened with a warning (the
// trust rule, src/platform/trusted-dir.ts), which is not the fault under test.

export type Fault = 'ENOTDIR' | 'EISDIR' | 'EACCES' | 'EROFS' | 'ENOSPC';

/** nobody/nogroup: an unprivileged user for EACCES when the tests run as root (CI). */
export const UNPRIVILEGED = 65534;

const isRoot = process.getuid?.() === 0;
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const works = (argv: string[]) => spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore' }).status === 0;

/** The namespace prefix for EROFS/ENOSPC, decided once. */
const MOUNT_NS: string[] | undefined = (() => {
  const root = ['unshare', '--mount', '--propagation', 'private'];
  const user = ['unshare', '--user', '--map-root-user', '--mount', '--propagation', 'private'];
  if (!has('unshare')) return undefined;
  if (isRoot && works([...root, 'true'])) return root;
  if (works([...user, 'true'])) return user;
  return undefined;
})();

/**
 * Why `fault` cannot be produced here: undefined when it can. `skip` is true only where the brief allows a
 * skip (not root and no user namespaces); everything else is a failure of the test machine, reported loudly.
 */
export function faultUnavailable(fault: Fault): { reason: string; skip: boolean } | undefined {
  if (fault === 'EACCES' && isRoot && !has('setpriv'))
    return { reason: 'EACCES needs `setpriv` (util-linux) to run swrole as an unprivileged user under root', skip: false };
  if (fault === 'EROFS' || fault === 'ENOSPC') {
    for (const tool of ['mount', 'cp', 'dd', 'sh'])
      if (!has(tool)) return { reason: `${fault} needs \`${tool}\` to build a tmpfs in a mount namespace`, skip: false };
    if (MOUNT_NS === undefined)
      return isRoot
        ? { reason: `${fault} needs \`unshare --mount\` (CAP_SYS_ADMIN) to mount a tmpfs, and it failed as root`, skip: false }
        : {
            reason: `${fault} needs root or user namespaces (\`unshare --user --map-root-user --mount\`), neither is available`,
            skip: true,
          };
  }
  return undefined;
}

function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (lstatSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), uid);
}

// Runs inside the mount namespace: tmpfs on the target, the staged content copied in, then read-only or full.
const MOUNT_SCRIPT = `set -e
target=$1 stage=$2 fault=$3; shift 3
size=256k; [ "$fault" = ENOSPC ] && size=64k
if ! out=$(mount -t tmpfs -o size=$size,mode=0700 swrole-fault "$target" 2>&1); then
  echo "swrole-fault: cannot mount a tmpfs on $target: $out" >&2; exit 99
fi
cp -a "$stage/." "$target/"
case $fault in
  EROFS) if ! out=$(mount -o remount,bind,ro "$target" 2>&1); then echo "swrole-fault: cannot remount $target read-only: $out" >&2; exit 99; fi ;;
  ENOSPC) dd if=/dev/zero of="$target/.fill" bs=4096 2>/dev/null || true
          if printf x 2>/dev/null >"$target/.probe"; then echo "swrole-fault: $target is not full after filling it" >&2; exit 99; fi
          rm -f "$target/.probe" ;;
esac
exec "$@"
`;

export interface FaultRun extends RunResult {
  /** How the fault was produced, for assertion messages. */
  how: string;
}

/**
 * Makes `target` unusable with `fault`, then runs `node dist/swrole.js ARGS` with `env`. `sandbox` is the
 * directory holding everything the run needs (chowned to the unprivileged user for EACCES under root).
 * Throws when the mechanism is missing (check faultUnavailable first to skip where that is allowed).
 */
export async function runWithFault(
  fault: Fault,
  target: string,
  sandbox: string,
  args: string[],
  env: Record<string, string>,
): Promise<FaultRun> {
  const unavailable = faultUnavailable(fault);
  if (unavailable) throw new Error(`cannot produce ${fault}: ${unavailable.reason}`);
  const node = [process.execPath, DIST, ...args];
  let argv: string[];
  let how: string;
  switch (fault) {
    case 'ENOTDIR':
      rmSync(target, { recursive: true, force: true });
      writeFileSync(target, 'a plain file where a directory should be\n');
      argv = node;
      how = `${target} is a plain file`;
      break;
    case 'EISDIR':
      rmSync(target, { recursive: true, force: true });
      mkdirSync(target, { recursive: true, mode: 0o700 });
      argv = node;
      how = `${target} is a directory`;
      break;
    case 'EACCES':
      if (!existsSync(target)) mkdirSync(target, { recursive: true, mode: 0o700 });
      if (isRoot) {
        chownTree(sandbox, UNPRIVILEGED);
        chownTree(target, 0);
        argv = ['setpriv', `--reuid=${UNPRIVILEGED}`, `--regid=${UNPRIVILEGED}`, '--clear-groups', ...node];
        how = `${target} is root's, mode 0555; swrole runs as uid ${UNPRIVILEGED}`;
        chmodSync(target, 0o555);
      } else {
        // 0500, not 0555: swrole tightens a dir of its own that others can read to 0700, which would make it writable.
        argv = node;
        how = `${target} has mode 0500`;
        chmodSync(target, 0o500);
      }
      break;
    case 'EROFS':
    case 'ENOSPC': {
      mkdirSync(target, { recursive: true, mode: 0o700 });
      const stage = `${target}.fault-stage`;
      cpSync(target, stage, { recursive: true, preserveTimestamps: true });
      argv = [...MOUNT_NS!, 'sh', '-c', MOUNT_SCRIPT, 'sh', target, stage, fault, ...node];
      how = `${fault === 'EROFS' ? 'a read-only' : 'a full 64 KiB'} tmpfs on ${target} (${MOUNT_NS![1] === '--user' ? 'user' : 'mount'} namespace)`;
      break;
    }
  }
  const result = await spawnDetached(argv[0]!, argv.slice(1), env);
  if (fault === 'EACCES') chmodSync(target, 0o755); // let the cleanup remove it when not root
  if (result.code === 99 && result.stderr.startsWith('swrole-fault:')) throw new Error(`cannot produce ${fault}: ${result.stderr.trim()}`);
  return { ...result, how };
}
